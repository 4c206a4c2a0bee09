-- The dispatch feed's sequence, assigned after commit by one sequencer. Dispatching
-- transactions commit their orders unnumbered and take no shared lock, so two streets' dispatches
-- never wait for each other; `number_dispatch_orders` then numbers every committed unnumbered
-- order in one statement and queues each order's webhook deliveries with its number.

-- A time-ordered UUID (version 7), as Prisma's uuid(7) default makes them, for rows written in SQL.
CREATE FUNCTION gongzhi_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
    PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;

-- Numbers up to `batch` committed orders that have no sequence yet, oldest first, and returns them
-- with what their audiences are made of. One call at a time holds the lock until its (implicit)
-- transaction commits, and a volatile function's statements each take a fresh snapshot, so the
-- UPDATE sees every number committed before the lock was granted: numbers are handed out in
-- commit order, and a reader that has seen N never later finds a committed M < N.
CREATE FUNCTION number_dispatch_orders(batch integer)
RETURNS TABLE (id uuid, seq bigint, "departmentId" uuid, "assigneeId" uuid, "regionPath" text, "handlingPath" text, deliveries integer)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  -- the fresh snapshot per statement that the order relies on is READ COMMITTED's
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'number_dispatch_orders must run at READ COMMITTED, not %', current_setting('transaction_isolation');
  END IF;
  PERFORM pg_advisory_xact_lock(1869767781); -- 0x6f726465, "orde"
  RETURN QUERY
  -- an order another transaction holds (say, moving its deadlines) is left to a later round, which
  -- gives it a larger number: never a smaller one after a larger was seen
  WITH waiting AS (
    SELECT o.id, o."createdAt" FROM "DispatchOrder" o WHERE o.seq IS NULL
    ORDER BY o."createdAt", o.id LIMIT batch FOR UPDATE SKIP LOCKED
  ), todo AS (
    SELECT w.id, row_number() OVER (ORDER BY w."createdAt", w.id) AS n FROM waiting w
  ), top AS (
    SELECT COALESCE(max(d.seq), 0) AS s FROM "DispatchOrder" d
  ), numbered AS (
    UPDATE "DispatchOrder" o SET seq = top.s + todo.n FROM todo, top WHERE o.id = todo.id RETURNING o.*
  ), hooks AS (
    -- times in UTC, as the application writes every timestamp, whatever the session's TimeZone
    INSERT INTO "WebhookDelivery" (id, "endpointId", "orderId", event, "createdAt", "nextAttemptAt", payload)
    SELECT gongzhi_uuid_v7(), e.id, n.id, 'dispatchOrder.created', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', jsonb_build_object(
      'orderId', replace(encode(convert_to('DispatchOrder:' || n.id::text, 'UTF8'), 'base64'), E'\n', ''),
      'caseId', replace(encode(convert_to('Case:' || c.id::text, 'UTF8'), 'base64'), E'\n', ''),
      'seq', n.seq::text, 'role', n.role::text, 'mode', n.mode::text, 'instructions', n.instructions,
      'signBy', to_char(n."signBy", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'completeBy', to_char(n."completeBy", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'case', jsonb_build_object('title', c.title, 'description', c.description, 'address', c.address, 'lng', c.lng, 'lat', c.lat,
        'source', c.source::text, 'deadline', to_char(c.deadline, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM numbered n
    JOIN "WebhookEndpoint" e ON e."departmentId" = n."departmentId" AND e.active
    JOIN "Case" c ON c.id = n."caseId"
    RETURNING "orderId"
  )
  SELECT n.id, n.seq, n."departmentId", n."assigneeId", r.path::text, h.path::text,
    (SELECT count(*)::integer FROM hooks k WHERE k."orderId" = n.id)
  FROM numbered n
  JOIN "Case" c ON c.id = n."caseId"
  JOIN "Region" r ON r.id = c."regionId"
  LEFT JOIN "Region" h ON h.id = c."handlingRegionId"
  ORDER BY n.seq;
END
$$;
