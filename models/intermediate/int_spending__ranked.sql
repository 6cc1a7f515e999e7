-- Every statement of a spending fact by a loaded report, ranked within its grain
-- (department × fiscal_year × item × scope): preference_rank 1 is the value the fact table keeps.
{{ rank_across_reports(ref('stg_landed__spending'), ['item', 'scope']) }}
