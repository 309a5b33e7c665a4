/**
 * What paints the heatmap's cells: WebGL through twgl.js (the cell codes as a one-byte texture,
 * coloured by a 256-entry palette texture in the fragment shader) on a GPU, or a 2D canvas with
 * ImageData where WebGL is missing or drawn in software (createCellSurface). Lines, axes and labels are
 * drawn over it on a separate 2D canvas. (regl was tried first: it generates code with `new Function`,
 * which the app's Content-Security-Policy rightly refuses; twgl.js does not.)
 *
 * The canvas holds one pixel per cell (slots × rows) and is placed and stretched over the plot by CSS
 * with `image-rendering: pixelated`: the compositor scales it up without smoothing, off the main thread.
 * Why: a canvas the size of the plot cost the main thread its whole area on every draw, in the scaling
 * (2D) or, without a GPU, in reading the WebGL image back at each commit (SwiftShader: ~100 ms a draw
 * under load); a cell-sized one costs about 60k pixels whatever the window's size.
 */
import * as twgl from 'twgl.js';
import type { ThemeName } from '../../../../shared/settings';
import { cellPalette } from './colormap';
import { context2d, drawingSurface, type DrawingSurface } from '../canvas';

export interface CellImage {
  codes: Uint8Array;
  /** Slots across, rows down (row 0 at the top). */
  cols: number;
  rows: number;
  /** Where the image goes, in CSS pixels of the canvas. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Draw without colour, dimmed (a frozen book). */
  grey: boolean;
  /** Whose colour map the codes are painted with. */
  theme: ThemeName;
}

export interface CellSurface {
  readonly kind: 'webgl' | '2d';
  /** Paint the image: the canvas becomes cols × rows pixels, placed at (x, y) and stretched to w × h CSS pixels. */
  draw(image: CellImage): void;
  /** Wait until what was drawn is painted (for measurements). */
  finish(): void;
  destroy(): void;
}

/** Whether this WebGL context is drawn by the CPU (SwiftShader, llvmpipe: no GPU, or one the browser refused). */
function softwareGl(gl: WebGLRenderingContext): boolean {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

/**
 * WebGL on a GPU; a 2D canvas where WebGL is missing or drawn in software. Why not software GL: the
 * compositor then reads each WebGL image back from the GPU process at commit, a synchronous round
 * trip of several milliseconds a draw on a busy machine, where a 2D canvas of the same pixels costs a
 * copy (`npm run bench -- --only renderer`). `prefer` 'webgl' takes WebGL wherever there is one, and
 * '2d' never does (`?heatmap=webgl` and `?heatmap=2d`, to compare them).
 */
export function createCellSurface(canvas: HTMLCanvasElement, prefer: 'auto' | 'webgl' | '2d' = 'auto'): CellSurface {
  // Probe on a spare canvas: once a canvas has a WebGL context it can never give a 2D one.
  const probe = prefer === '2d' ? null : document.createElement('canvas').getContext('webgl');
  if (probe && (prefer === 'webgl' || !softwareGl(probe))) {
    try {
      return new WebGLSurface(canvas);
    } catch (error) {
      console.warn('Heatmap: WebGL failed, drawing with a 2D canvas:', (error as Error).message);
    }
  }
  return new Canvas2DSurface(canvas);
}

/**
 * One pixel per cell, stretched by CSS over the image's place; hidden when there is no image (the box's
 * background, the no-data colour, shows). Returns false when there is nothing to paint.
 */
function placeCanvas(canvas: HTMLCanvasElement, image: CellImage, pixels: DrawingSurface = canvas): boolean {
  const empty = image.cols === 0 || image.rows === 0;
  canvas.hidden = empty;
  if (empty) return false;
  if (pixels.width !== image.cols || pixels.height !== image.rows) {
    pixels.width = image.cols;
    pixels.height = image.rows;
  }
  // Style writes only when the place changed: each one would dirty the page's style.
  const place = `${image.x},${image.y},${image.w},${image.h}`;
  if (canvas.dataset.place !== place) {
    canvas.dataset.place = place;
    canvas.style.left = `${image.x}px`;
    canvas.style.top = `${image.y}px`;
    canvas.style.width = `${image.w}px`;
    canvas.style.height = `${image.h}px`;
  }
  return true;
}

const VERTEX = `
precision mediump float;
attribute vec2 corner;
uniform vec4 rect;
varying vec2 uv;
void main() {
  uv = vec2(corner.x, 1.0 - corner.y);
  gl_Position = vec4(mix(rect.xy, rect.zw, corner), 0.0, 1.0);
}`;

const FRAGMENT = `
precision mediump float;
uniform sampler2D cells;
uniform sampler2D palette;
varying vec2 uv;
void main() {
  float code = texture2D(cells, uv).r * 255.0;
  gl_FragColor = texture2D(palette, vec2((code + 0.5) / 256.0, 0.5));
}`;

class WebGLSurface implements CellSurface {
  readonly kind = 'webgl' as const;
  private readonly gl: WebGLRenderingContext;
  private readonly program: twgl.ProgramInfo;
  private readonly quad: twgl.BufferInfo;
  private readonly cells: WebGLTexture;
  /** Palette textures by theme and greyness, made when first needed. */
  private readonly palettes = new Map<string, WebGLTexture>();
  private cellsShape = '';

  constructor(private readonly canvas: HTMLCanvasElement) {
    // preserveDrawingBuffer: the image stays readable (screenshots, toDataURL) between the 4 draws a second.
    const gl = canvas.getContext('webgl', { antialias: false, alpha: false, depth: false, stencil: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('no WebGL context');
    this.gl = gl;
    const program = twgl.createProgramInfo(gl, [VERTEX, FRAGMENT]);
    if (!program) throw new Error('heatmap shaders did not compile');
    this.program = program;
    this.quad = twgl.createBufferInfoFromArrays(gl, { corner: { numComponents: 2, data: [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1] } });
    this.cells = this.texture(1, new Uint8Array(1), gl.LUMINANCE);
  }

  private texture(width: number, src: Uint8Array, format: number): WebGLTexture {
    const gl = this.gl;
    return twgl.createTexture(gl, { width, height: 1, src, format, type: gl.UNSIGNED_BYTE, minMag: gl.NEAREST, wrap: gl.CLAMP_TO_EDGE, unpackAlignment: 1, auto: false });
  }

  private palette(theme: ThemeName, grey: boolean): WebGLTexture {
    const key = `${theme}:${grey}`;
    let texture = this.palettes.get(key);
    if (!texture) {
      texture = this.texture(256, cellPalette(grey, theme), this.gl.RGBA);
      this.palettes.set(key, texture);
    }
    return texture;
  }

  draw(image: CellImage): void {
    const gl = this.gl;
    if (!placeCanvas(this.canvas, image)) return;
    gl.viewport(0, 0, image.cols, image.rows);
    gl.bindTexture(gl.TEXTURE_2D, this.cells);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    // Same size: replace the texels; a new size reallocates the texture.
    const shape = `${image.cols}x${image.rows}`;
    if (shape === this.cellsShape) gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, image.cols, image.rows, gl.LUMINANCE, gl.UNSIGNED_BYTE, image.codes);
    else {
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.LUMINANCE, image.cols, image.rows, 0, gl.LUMINANCE, gl.UNSIGNED_BYTE, image.codes);
      this.cellsShape = shape;
    }
    gl.useProgram(this.program.program);
    twgl.setBuffersAndAttributes(gl, this.program, this.quad);
    // The quad fills the canvas: one texel per pixel.
    twgl.setUniforms(this.program, { rect: [-1, -1, 1, 1], cells: this.cells, palette: this.palette(image.theme, image.grey) });
    twgl.drawBufferInfo(gl, this.quad);
  }

  finish(): void {
    this.gl.finish();
  }

  /** Free what this surface made; the context stays with the canvas (a remount gets it back). */
  destroy(): void {
    const gl = this.gl;
    for (const t of [this.cells, ...this.palettes.values()]) gl.deleteTexture(t);
    gl.deleteProgram(this.program.program);
    for (const attrib of Object.values(this.quad.attribs ?? {})) gl.deleteBuffer(attrib.buffer);
  }
}

class Canvas2DSurface implements CellSurface {
  readonly kind = '2d' as const;
  private image: ImageData | null = null;
  private readonly palettes = new Map<string, Uint8Array>();

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(image: CellImage): void {
    if (!placeCanvas(this.canvas, image, drawingSurface(this.canvas))) return;
    const ctx = context2d(this.canvas);
    if (!ctx) return;
    if (!this.image || this.image.width !== image.cols || this.image.height !== image.rows) this.image = new ImageData(image.cols, image.rows);
    const key = `${image.theme}:${image.grey}`;
    let palette = this.palettes.get(key);
    if (!palette) {
      palette = cellPalette(image.grey, image.theme);
      this.palettes.set(key, palette);
    }
    // One 32-bit write per pixel: the palette as RGBA words in the platform's byte order.
    const pixels = new Uint32Array(this.image.data.buffer);
    const words = new Uint32Array(palette.buffer, palette.byteOffset, 256);
    const codes = image.codes;
    for (let i = 0; i < codes.length; i++) pixels[i] = words[codes[i]!]!;
    ctx.putImageData(this.image, 0, 0);
  }

  finish(): void {
    context2d(this.canvas)?.getImageData(0, 0, 1, 1);
  }

  destroy(): void {}
}
