import { defineConfig } from 'prisma/config'

// Prisma CLI configuration. The database URL comes from DATABASE_URL; the admin wrappers in
// scripts/ (npm run db:*) set it to the embedded database when it is not given.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/gongzhi' },
})
