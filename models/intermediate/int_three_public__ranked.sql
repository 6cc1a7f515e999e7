-- Every statement of a three public fact by a loaded report, ranked within its grain
-- (department × fiscal_year × category × phase): preference_rank 1 is the value the fact table keeps.
{{ rank_across_reports(ref('stg_landed__three_public'), ['category', 'phase']) }}
