// Draws the page's app icons (a clock face on the theme colour) as PNG files, with Node's zlib only:
//   node scripts/icons.mjs   → client/icons/icon-192.png, icon-512.png, maskable-512.png
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

const THEME = [0x1f, 0x5f, 0x8b];
const WHITE = [0xff, 0xff, 0xff];

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** size × size RGBA; `inset` shrinks the clock for the maskable icon's safe zone. */
function draw(size, inset) {
  const rows = [];
  const c = size / 2;
  const radius = size * 0.34 * inset;
  const ring = size * 0.05 * inset;
  const hand = size * 0.035 * inset;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - c;
      const dy = y + 0.5 - c;
      const r = Math.hypot(dx, dy);
      const onRing = Math.abs(r - radius) < ring / 2;
      const hourHand = Math.abs(dx) < hand / 2 && dy <= 0 && -dy < radius * 0.62;
      const minuteHand = Math.abs(dy) < hand / 2 && dx >= 0 && dx < radius * 0.45;
      const hub = r < hand;
      const [red, green, blue] = onRing || hourHand || minuteHand || hub ? WHITE : THEME;
      row.set([red, green, blue, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const folder = new URL("../client/icons/", import.meta.url);
writeFileSync(new URL("icon-192.png", folder), draw(192, 1));
writeFileSync(new URL("icon-512.png", folder), draw(512, 1));
writeFileSync(new URL("maskable-512.png", folder), draw(512, 0.8));
