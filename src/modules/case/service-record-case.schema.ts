// The case behind a party service record (履诺记录 → 群众诉求), added to the party module's
// ServiceRecord type from the case module's side. A CASE_HELP record's `sourceId` is the case; it
// is read through the viewer's reader, so a case they may not read is null, and the cases of the
// records asked for together are read in one statement (the reader batches reads by id).
import { builder } from '../../builder.js'
import { optionalRowById } from '../../shared/rows-by-id.js'

builder.prismaObjectField('ServiceRecord', 'case', (t) =>
  t.prismaField({
    type: 'Case',
    nullable: true,
    description: 'CASE_HELP: the case, when you may see it (协助的案件).',
    resolve: (query, r, _a, ctx) => optionalRowById(ctx, 'case', query, r.kind === 'CASE_HELP' && r.sourceId),
  }),
)
