select
    cast(membership_span_id as varchar) as membership_span_id,
    cast(membership_id as varchar) as membership_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(user_id as varchar) as player_id,
    cast(role as varchar) as role,
    cast(valid_from as timestamp with time zone) as valid_from,
    cast(valid_to as timestamp with time zone) as valid_to,
    cast(valid_from_date as date) as valid_from_date,
    cast(valid_to_date as date) as valid_to_date,
    cast(is_current as boolean) as is_current
from {{ ref('int_team_memberships_spanned') }}
