-- Leases on segments, so that workers in several processes do each segment's work once: a worker
-- claims a segment until lease_until; another takes it over only after that.
ALTER TABLE segments ADD COLUMN lease_owner VARCHAR(64);
ALTER TABLE segments ADD COLUMN lease_until TIMESTAMP(3) WITH TIME ZONE;
