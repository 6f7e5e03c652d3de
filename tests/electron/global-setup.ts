import { electronBinary, SKIP_WITHOUT_ELECTRON } from './fixtures.js';

/** The list reporter shows skipped tests without their reason; say once why the suite is skipped. */
export default function globalSetup(): void {
  if (electronBinary === null) console.log(`\n  ${SKIP_WITHOUT_ELECTRON}\n`);
  else console.log(`\n  Electron binary: ${electronBinary}\n`);
}
