// Draws Sentinel's tray and app icons (run by hand: `node build/make-icons.mjs`; the PNGs are committed).
// Shapes are signed-distance fields, so edges are anti-aliased at every size. Each state differs by colour AND
// shape (✓ ! ×) for colour-blind users; the green macOS icon is a black template the menu bar recolours.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Distance functions in unit space (0..1).
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const px = x - ax,
    py = y - ay,
    dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - w / 2;
};
const union =
  (...fs) =>
  (x, y) =>
    Math.min(...fs.map((f) => f(x, y)));
const roundedSquare = (m, r) => (x, y) => {
  const qx = Math.abs(x - 0.5) - (0.5 - m - r),
    qy = Math.abs(y - 0.5) - (0.5 - m - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

const SHAPES = {
  check: (w) => union(segment(0.27, 0.52, 0.43, 0.68, w), segment(0.43, 0.68, 0.74, 0.34, w)),
  bang: (w) => union(segment(0.5, 0.26, 0.5, 0.58, w), circle(0.5, 0.73, w * 0.62)),
  cross: (w) => union(segment(0.33, 0.33, 0.67, 0.67, w), segment(0.67, 0.33, 0.33, 0.67, w)),
};

/** Layers painted in order: [distance function, [r, g, b, a]]. */
function render(size, layers) {
  const buf = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (const [f, [cr, cg, cb, ca]] of layers) {
        // 3×3 supersampling of the coverage.
        let cov = 0;
        for (let sy = 0; sy < 3; sy++)
          for (let sx = 0; sx < 3; sx++)
            cov += f((px + (sx + 0.5) / 3) / size, (py + (sy + 0.5) / 3) / size) <= 0 ? 1 : 0;
        const al = (cov / 9) * (ca / 255);
        r = cr * al + r * (1 - al);
        g = cg * al + g * (1 - al);
        b = cb * al + b * (1 - al);
        a = al + a * (1 - al);
      }
      const i = (py * size + px) * 4;
      // Stored un-premultiplied.
      buf[i] = a ? Math.round(r / a) : 0;
      buf[i + 1] = a ? Math.round(g / a) : 0;
      buf[i + 2] = a ? Math.round(b / a) : 0;
      buf[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, buf);
}

const WHITE = [255, 255, 255, 255];
const COLOURS = { green: [46, 160, 67, 255], yellow: [245, 166, 35, 255], red: [215, 58, 73, 255] };
const MARK = { green: 'check', yellow: 'bang', red: 'cross' };
const ring = circle(0.5, 0.5, 0.46);

mkdirSync('assets', { recursive: true });
for (const [suffix, size] of [
  ['', 22],
  ['@2x', 44],
]) {
  // Template: black ring outline and check, transparent elsewhere (macOS recolours it).
  const outline = (x, y) => Math.abs(circle(0.5, 0.5, 0.42)(x, y)) - 0.045;
  writeFileSync(
    `assets/trayTemplate${suffix}.png`,
    render(size, [[union(outline, SHAPES.check(0.11)), [0, 0, 0, 255]]]),
  );
  for (const status of ['green', 'yellow', 'red']) {
    writeFileSync(
      `assets/tray-${status}${suffix}.png`,
      render(size, [
        [ring, COLOURS[status]],
        [SHAPES[MARK[status]](0.12), WHITE],
      ]),
    );
  }
}
// App icon: a rounded square in Sentinel's green with a white ring and check.
writeFileSync(
  'build/icon.png',
  render(512, [
    [roundedSquare(0.06, 0.18), [31, 41, 55, 255]],
    [(x, y) => Math.abs(circle(0.5, 0.5, 0.3)(x, y)) - 0.035, COLOURS.green],
    [(x, y) => SHAPES.check(0.075)((x - 0.5) * 1.35 + 0.5, (y - 0.5) * 1.35 + 0.5), WHITE],
  ]),
);
console.log('icons written to assets/ and build/icon.png');
