-- The same SQL for H2 and PostgreSQL. Importance (issue 15): each segment's salience (the sum over its turn parts of the memory's
-- Salience score, and how many parts were scored), its counted rehearsals with the conversation's
-- text tokens at the last one, and pinned turns.
ALTER TABLE segments ADD COLUMN salience_sum DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN salience_parts INT NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN rehearsals INT NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN rehearsed_tokens BIGINT;

CREATE TABLE pins (
  conversation_id VARCHAR(200) NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  turn INT NOT NULL,
  pinned_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (conversation_id, turn)
);
