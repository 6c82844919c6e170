/**
 * Generates the two Teams app icons with a tiny, dependency-free PNG encoder:
 *   color.png   192×192, teal rounded square with a white shield and a teal tick
 *   outline.png  32×32, white shield outline and tick on a transparent background
 *                (Teams requires the outline icon to be white and transparent only)
 *
 * Run: `npx tsx appPackage/icons.ts` (writes the PNGs next to this file).
 */

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";
import { isMainModule } from "./isMainModule.js";

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Teal used for the colour icon background and the app's accent colour. */
export const TEAL: readonly [number, number, number] = [0x0e, 0x7c, 0x7b];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, 4 bytes a pixel) as a PNG: signature, IHDR, IDAT, IEND. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) {
    throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------
// Geometry (unit square coordinates, y grows downwards)

type Point = readonly [number, number];

interface Shield {
  readonly cx: number;
  readonly top: number;
  readonly bottom: number;
  readonly halfWidth: number;
}

/** A heraldic shield: flat top, straight sides, curving in to a point at the bottom. */
function shieldPolygon({ cx, top, bottom, halfWidth }: Shield): Point[] {
  const shoulder = top + (bottom - top) * 0.42;
  const steps = 48;
  const right: Point[] = [[cx + halfWidth, top]];
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const y = shoulder + (bottom - shoulder) * t;
    right.push([cx + halfWidth * Math.cos((t * Math.PI) / 2) ** 0.85, y]);
  }
  const left = right.map(([x, y]): Point => [2 * cx - x, y]).reverse();
  // right side runs top→bottom, left side bottom→top; drop the duplicated bottom point
  return [...right, ...left.slice(1)];
}

function insidePolygon(polygon: readonly Point[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment(a: Point, b: Point, x: number, y: number): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t =
    lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / lengthSquared));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

function distanceToPolyline(points: readonly Point[], x: number, y: number, closed: boolean): number {
  let best = Number.POSITIVE_INFINITY;
  const segments = closed ? points.length : points.length - 1;
  for (let i = 0; i < segments; i++) {
    best = Math.min(
      best,
      distanceToSegment(points[i] as Point, points[(i + 1) % points.length] as Point, x, y),
    );
  }
  return best;
}

function insideRoundedSquare(x: number, y: number, radius: number): boolean {
  const qx = Math.max(radius - x, x - (1 - radius), 0);
  const qy = Math.max(radius - y, y - (1 - radius), 0);
  return qx * qx + qy * qy <= radius * radius;
}

type Rgba = readonly [number, number, number, number];

/**
 * Rasterises with 4×4 supersampling: `shade(x, y)` returns the colour of one sample point
 * (or null for transparent); a pixel's alpha is its sample coverage.
 */
function rasterise(size: number, shade: (x: number, y: number) => Rgba | null): Uint8Array {
  const samples = 4;
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (colour === null) continue;
          const weight = colour[3] / 255;
          r += colour[0] * weight;
          g += colour[1] * weight;
          b += colour[2] * weight;
          a += weight;
        }
      }
      const offset = (py * size + px) * 4;
      if (a > 0) {
        out[offset] = Math.round(r / a);
        out[offset + 1] = Math.round(g / a);
        out[offset + 2] = Math.round(b / a);
        out[offset + 3] = Math.round((a / (samples * samples)) * 255);
      }
    }
  }
  return out;
}

const WHITE: Rgba = [255, 255, 255, 255];

/** The 192×192 colour icon as RGBA pixels. */
export function drawColorIcon(size = COLOR_ICON_SIZE): Uint8Array {
  const teal: Rgba = [TEAL[0], TEAL[1], TEAL[2], 255];
  const shield = shieldPolygon({ cx: 0.5, top: 0.2, bottom: 0.84, halfWidth: 0.27 });
  const tick: Point[] = [
    [0.375, 0.5],
    [0.47, 0.6],
    [0.635, 0.41],
  ];
  return rasterise(size, (x, y) => {
    if (!insideRoundedSquare(x, y, 0.2)) return null;
    if (!insidePolygon(shield, x, y)) return teal;
    return distanceToPolyline(tick, x, y, false) <= 0.042 ? teal : WHITE;
  });
}

/** The 32×32 outline icon as RGBA pixels: white strokes, everything else transparent. */
export function drawOutlineIcon(size = OUTLINE_ICON_SIZE): Uint8Array {
  const shield = shieldPolygon({ cx: 0.5, top: 0.06, bottom: 0.95, halfWidth: 0.39 });
  const tick: Point[] = [
    [0.3, 0.47],
    [0.45, 0.62],
    [0.7, 0.34],
  ];
  const stroke = 2.2 / size;
  return rasterise(size, (x, y) => {
    const onTick = distanceToPolyline(tick, x, y, false) <= 1.3 / size;
    const onBorder = insidePolygon(shield, x, y) && distanceToPolyline(shield, x, y, true) <= stroke;
    return onTick || onBorder ? WHITE : null;
  });
}

/** Writes color.png and outline.png into `dir` and returns their paths. */
export function writeIcons(dir: string): { color: string; outline: string } {
  const color = join(dir, "color.png");
  const outline = join(dir, "outline.png");
  writeFileSync(color, encodePng(COLOR_ICON_SIZE, COLOR_ICON_SIZE, drawColorIcon()));
  writeFileSync(outline, encodePng(OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE, drawOutlineIcon()));
  return { color, outline };
}

if (isMainModule(import.meta.url)) {
  const written = writeIcons(dirname(fileURLToPath(import.meta.url)));
  console.log(`wrote ${written.color}`);
  console.log(`wrote ${written.outline}`);
}
