-- Assessment (考核): the last resolution of a case, its on-site checks and its reopenings by index
-- probe or range rather than by walking each timeline. The command centre: cases closed today.

-- CreateIndex
CREATE INDEX "CaseEvent_action_caseId_createdAt_idx" ON "CaseEvent"("action", "caseId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseEvent_toStatus_caseId_createdAt_idx" ON "CaseEvent"("toStatus", "caseId", "createdAt");

-- CreateIndex
CREATE INDEX "Case_closedAt_idx" ON "Case"("closedAt");
