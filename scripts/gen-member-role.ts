// Writes deploy/member-role.yaml from the collectors' declared operations (see deploy/lib/member-role.ts).
// Run after registering a collector: npx tsx scripts/gen-member-role.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MEMBER_ROLE_FILE, memberRoleTemplate } from '../deploy/lib/member-role.js';

const path = fileURLToPath(new URL(`../${MEMBER_ROLE_FILE}`, import.meta.url));
writeFileSync(path, memberRoleTemplate());
console.log(`wrote ${MEMBER_ROLE_FILE}`);
