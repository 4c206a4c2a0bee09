-- Error codes are `domain/reason` everywhere: the audit log's outcomes written with the older
-- upper-case spelling take the new one, so that one filter finds every entry of a code.
UPDATE "AuditEntry" SET outcome = CASE outcome
    WHEN 'UNAUTHENTICATED' THEN 'auth/unauthenticated'
    WHEN 'SERVICE_UNAVAILABLE' THEN 'common/unavailable'
    WHEN 'TOO_MANY_SUBSCRIPTIONS' THEN 'realtime/too-many-subscriptions'
    WHEN 'RATE_LIMITED' THEN 'common/rate-limited'
    WHEN 'TOO_MANY_EXPORTS' THEN 'export/too-many-exports'
    WHEN 'INTERNAL' THEN 'common/internal'
  END
WHERE outcome IN ('UNAUTHENTICATED', 'SERVICE_UNAVAILABLE', 'TOO_MANY_SUBSCRIPTIONS', 'RATE_LIMITED', 'TOO_MANY_EXPORTS', 'INTERNAL');
