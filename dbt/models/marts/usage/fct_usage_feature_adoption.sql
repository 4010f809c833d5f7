-- Feature adoption per club over the 7 and 28 days ending on the as-of day: of the active people who could use a
-- feature (their role is eligible), the share who used it.
with eligibility as (

    select 'sign_in' as feature, 'any' as role
    union all select 'rpe_log', 'player'
    union all select 'rpe_log', 'parent'
    union all select 'wellness', 'player'
    union all select 'wellness', 'parent'
    union all select 'rsvp', 'player'
    union all select 'rsvp', 'parent'
    union all select 'dashboard', 'coach'
    union all select 'dashboard', 'physical_trainer'
    union all select 'dashboard', 'club_admin'
    union all select 'dashboard', 'platform_admin'
    union all select 'dashboard', 'medical_staff'
    -- everyone has their own calendar feed
    union all select 'calendar_feeds', 'any'
    -- everyone may write in a conversation they are in
    union all select 'messages', 'any'

),

windows as (

    select 7 as window_days
    union all select 28

),

activities as (

    select
        activities.org_id,
        activities.user_id,
        activities.feature,
        activities.activity_date,
        coalesce(roles.primary_role, 'member') as primary_role
    from {{ ref('int_usage_activities') }} as activities
    left join {{ ref('int_usage_member_roles') }} as roles
        on activities.org_id = roles.org_id and activities.user_id = roles.user_id
    where activities.activity_date <= {{ usage_as_of() }}

),

in_window as (

    select activities.*, windows.window_days
    from activities
    inner join windows on activities.activity_date > {{ usage_as_of() }} - windows.window_days

),

eligible_active as (

    select in_window.org_id, in_window.window_days, eligibility.feature, in_window.user_id
    from in_window
    inner join eligibility on eligibility.role in ('any', in_window.primary_role)
    group by in_window.org_id, in_window.window_days, eligibility.feature, in_window.user_id

),

used as (

    select distinct org_id, window_days, feature, user_id
    from in_window

),

counted as (

    select
        eligible_active.org_id,
        eligible_active.window_days,
        eligible_active.feature,
        count(distinct eligible_active.user_id) as eligible_active_users,
        count(distinct used.user_id) as feature_users
    from eligible_active
    left join used
        on eligible_active.org_id = used.org_id
        and eligible_active.window_days = used.window_days
        and eligible_active.feature = used.feature
        and eligible_active.user_id = used.user_id
    group by eligible_active.org_id, eligible_active.window_days, eligible_active.feature

)

select
    cast(org_id || '|' || feature || '|' || cast(window_days as varchar) as varchar) as feature_adoption_id,
    cast(org_id as varchar) as org_id,
    cast(feature as varchar) as feature,
    cast(window_days as integer) as window_days,
    cast({{ usage_as_of() }} as date) as window_end,
    cast(feature_users as integer) as feature_users,
    cast(eligible_active_users as integer) as eligible_active_users,
    {{ rounded('cast(feature_users as double precision) / eligible_active_users', 3) }} as adoption_rate
from counted
