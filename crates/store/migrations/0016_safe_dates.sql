-- Reading stored data never fails on a value (issue 15): a date kept as
-- text in a document's content is read with kirjo_date, which gives NULL
-- for anything that is not a strict ISO day (YYYY-MM-DD, a real calendar
-- day) in the years Kirjo keeps (1880-2199), where a cast (`::date`) would
-- fail the whole query. A list shows such a row with its date marked.
CREATE FUNCTION kirjo_date(t text) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF t IS NULL OR t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
       OR substr(t, 1, 4)::int NOT BETWEEN 1880 AND 2199 THEN
        RETURN NULL;
    END IF;
    -- The shape is ISO, so the cast reads it the same under any DateStyle;
    -- only a day that does not exist (2026-02-30) is left to fail.
    RETURN t::date;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;

GRANT EXECUTE ON FUNCTION kirjo_date(text) TO kirjo_app;
