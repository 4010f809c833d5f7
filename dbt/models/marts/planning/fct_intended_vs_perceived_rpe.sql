{#- Coach-intended RPE against athlete-reported RPE, per team, coach and session type (the intended intensity:
    easy ≤ 4, moderate 5–6, hard ≥ 7 on CR-10, and 'all'), with the standardised mean difference of the pairs:
    Cohen's d_av = (mean intended − mean perceived) ÷ √((SD intended² + SD perceived²) ÷ 2) (Lakens 2013,
    Front Psychol 4:863) and Hedges' g_av = d_av × (1 − 3 ÷ (4(n − 1) − 1)). A negative value means athletes felt
    sessions harder than intended, as the 2022 meta-analysis of Inoue et al. (Sports Med Open 8:35) found on
    average (SMD ≈ −0.44 for RPE). -#}
with pairs as (

    -- every log matched to a planned training session (training's, or a calendar practice) the coach gave an
    -- intended RPE; games are left out: a game's intensity is not the coach's prescription
    select
        sessions.org_id,
        sessions.team_id,
        sessions.coach_id,
        case
            when sessions.planned_rpe <= 4 then 'easy'
            when sessions.planned_rpe <= 6 then 'moderate'
            else 'hard'
        end as session_type,
        cast(sessions.planned_rpe as double precision) as intended_rpe,
        cast(logs.rpe as double precision) as perceived_rpe
    from {{ ref('int_session_rpe_logs_matched') }} as logs
    inner join {{ ref('int_planned_sessions') }} as sessions
        on sessions.planned_session_id = logs.planned_session_id
    where sessions.session_kind = 'training'
        and sessions.planned_rpe is not null
        and sessions.team_id is not null
        and sessions.coach_id is not null

),

typed as (

    select * from pairs
    union all
    select org_id, team_id, coach_id, 'all' as session_type, intended_rpe, perceived_rpe from pairs

),

summary as (

    select
        org_id,
        team_id,
        coach_id,
        session_type,
        count(*) as pairs,
        avg(intended_rpe) as mean_intended_rpe,
        avg(perceived_rpe) as mean_perceived_rpe,
        stddev_samp(intended_rpe) as sd_intended_rpe,
        stddev_samp(perceived_rpe) as sd_perceived_rpe
    from typed
    group by 1, 2, 3, 4

),

effect as (

    select
        summary.*,
        sqrt((power(sd_intended_rpe, 2) + power(sd_perceived_rpe, 2)) / 2) as pooled_sd
    from summary

)

select
    cast(team_id || '|' || coach_id || '|' || session_type as varchar) as comparison_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(coach_id as varchar) as coach_id,
    cast(session_type as varchar) as session_type,
    cast(pairs as integer) as pairs,
    {{ rounded('mean_intended_rpe', 2) }} as mean_intended_rpe,
    {{ rounded('mean_perceived_rpe', 2) }} as mean_perceived_rpe,
    {{ rounded('mean_intended_rpe - mean_perceived_rpe', 2) }} as mean_difference_rpe,
    case when pairs >= 2 and pooled_sd > 0
        then {{ rounded('(mean_intended_rpe - mean_perceived_rpe) / pooled_sd', 3) }}
    end as cohens_d,
    case when pairs >= 2 and pooled_sd > 0
        then {{ rounded('(mean_intended_rpe - mean_perceived_rpe) / pooled_sd * (1 - 3.0 / (4 * (pairs - 1) - 1))', 3) }}
    end as hedges_g
from effect
