-- Bytes that turns refer to (users' images), kept once per conversation and hash, outside the
-- turns' attributes so that appending and reading a turn stays small.
CREATE TABLE turn_media (
  conversation_id VARCHAR(200) NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  hash VARCHAR(80) NOT NULL,
  bytes BYTEA NOT NULL,
  byte_count BIGINT NOT NULL,
  created_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (conversation_id, hash));
