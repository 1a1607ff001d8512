-- The text of a page as decoded in the background when it entered its tier, one line per line of
-- its page map ('\n'-separated, a line not found left empty): recall reads it instead of running OCR.
ALTER TABLE segment_images ADD COLUMN decoded_lines TEXT;

-- Each turn's embedding (all-MiniLM-L6-v2, 384 dimensions) made from its source text when its page
-- is rendered, int8 with one float scale (388 bytes): recall finds turns by meaning at every tier.
CREATE TABLE turn_vectors (
  segment_id BIGINT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
  turn INT NOT NULL,
  vector BYTEA NOT NULL,
  PRIMARY KEY (segment_id, turn)
);
