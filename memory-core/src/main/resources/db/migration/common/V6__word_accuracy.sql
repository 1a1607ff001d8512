-- The same SQL for H2 and PostgreSQL. Issue 13: a page's fidelity at a tier keeps its word
-- accuracy (words read intact and in order) beside its precision; null for rows measured before.
ALTER TABLE segment_fidelity ADD COLUMN word_accuracy DOUBLE PRECISION;
