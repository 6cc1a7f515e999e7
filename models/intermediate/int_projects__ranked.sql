-- Every statement of a projects fact by a loaded report, ranked within its grain
-- (department × fiscal_year × project_name): preference_rank 1 is the value the fact table keeps.
{{ rank_across_reports(ref('stg_landed__projects'), ['project_name']) }}
