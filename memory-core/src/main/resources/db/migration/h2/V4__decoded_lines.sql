-- The text of a page as decoded in the background when it entered its tier, one line per line of
-- its page map ('\n'-separated, a line not found left empty): recall reads it instead of running OCR.
ALTER TABLE segment_images ADD COLUMN decoded_lines CLOB;
