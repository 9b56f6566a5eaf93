#!/usr/bin/env node
// Draws the DDA Studio icon (a PCIe card on a blue tile) into assets/icon.png (512 px) and
// assets/icon.ico (PNG-compressed 256 px entry). Plain Node + zlib; run once, outputs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const px = (x, y) => {
    const u = x / size,
      v = y / size;
    const r = 0.18,
      inTile = (() => {
        const dx = Math.max(r - u, 0, u - (1 - r)),
          dy = Math.max(r - v, 0, v - (1 - r));
        return dx * dx + dy * dy <= r * r;
      })();
    if (!inTile) return [0, 0, 0, 0];
    const card = u > 0.2 && u < 0.8 && v > 0.3 && v < 0.62;
    const fingers = v >= 0.62 && v < 0.72 && u > 0.26 && u < 0.74 && Math.floor((u - 0.26) / 0.04) % 2 === 0;
    const chip = u > 0.3 && u < 0.46 && v > 0.38 && v < 0.54;
    const arrow = v > 0.14 && v < 0.24 && u > 0.42 && u < 0.58 && Math.abs(u - 0.5) < (0.24 - v) * 0.9;
    if (chip) return [15, 108, 189, 255];
    if (card || fingers || arrow) return [255, 255, 255, 255];
    return [15, 108, 189, 255];
  };
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(px(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const big = png(512);
writeFileSync('assets/icon.png', big);
const p256 = png(256);
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(1, 4);
const entry = Buffer.alloc(16);
entry[0] = 0;
entry[1] = 0;
entry.writeUInt16LE(1, 4);
entry.writeUInt16LE(32, 6);
entry.writeUInt32LE(p256.length, 8);
entry.writeUInt32LE(22, 12);
writeFileSync('assets/icon.ico', Buffer.concat([header, entry, p256]));
