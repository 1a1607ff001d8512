-- An optional idempotency key per turn, unique in its conversation.
ALTER TABLE turns ADD COLUMN turn_key VARCHAR(200);
CREATE UNIQUE INDEX turns_by_key ON turns(conversation_id, turn_key);
