-- Every statement of a budget by function fact by a loaded report, ranked within its grain
-- (department × fiscal_year × phase × subject code, or subject name where no code is given): preference_rank 1 is the value the fact table keeps.
{{ rank_across_reports(ref('stg_landed__budget_by_function'), ['phase', 'subject_key']) }}
