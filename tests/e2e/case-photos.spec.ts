import { deflateSync } from 'node:zlib';
import { expect, test } from './fixtures';

/** A small valid PNG (solid colour), built here so the test needs no file. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [0x2f, 0x9f, 0xd0]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

test("a field team's photo shows as a thumbnail in the case's timeline and opens full size", async ({ gc, page, server }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：路灯损坏，需拍照反馈');
  await gc.actAs('demo-duty', event.id, { action: 'file' });
  await gc.actAs('demo-duty', event.id, { action: 'dispatch', teamId });
  await gc.actAs('demo-field', event.id, { action: 'accept' });
  await gc.actAs('demo-field', event.id, { action: 'start' });
  const { token } = await gc.restLogin('demo-field');
  const upload = await page.request.post(`${server.url}/api/v1/attachments`, {
    data: png(64, 48),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png', 'X-Filename': 'streetlight.png' },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const stored = (await upload.json()) as { id: string; name: string };
  await gc.actAs('demo-field', event.id, { action: 'report', result: '已更换灯泡，恢复照明', attachments: [{ id: stored.id, name: stored.name }] });

  await gc.whenIOpenTab('toVerify');
  await gc.whenISelectTheRow(event.id);
  const thumb = gc.detail.getByTestId('attachment-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
  await thumb.click();
  const viewer = page.getByTestId('attachment-viewer');
  await expect(viewer.locator('img')).toBeVisible();
  await expect.poll(() => viewer.locator('img').evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(64);
  await gc.whenIPress('Escape');
  await expect(viewer).toBeHidden();
});
