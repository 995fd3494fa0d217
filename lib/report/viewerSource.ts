/**
 * The report's 3-D view, as browser JavaScript (an ES module that esbuild bundles with three.js
 * into the page, viewerBundle.ts). It reads the scene from the page's `#scene-data` JSON: the
 * cortex (source space surfaces, mm) drawn translucent (a volume source space: its sources as points), one ball and arrow per dipole; the arrow's length follows
 * |amplitude| at the slider's time and whose direction is the dipole's orientation (flipped when
 * the amplitude is negative). It renders on demand: on load, on the slider, on a drag of the view.
 */
export const VIEWER_SOURCE = String.raw`
import { AmbientLight, BufferAttribute, BufferGeometry, Color, ConeGeometry, CylinderGeometry, DirectionalLight, DoubleSide, Group, Mesh, MeshLambertMaterial, PerspectiveCamera, Points, PointsMaterial, Quaternion, Scene, SphereGeometry, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

function decode(b64, Type) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Type(bytes.buffer);
}

const data = JSON.parse(document.getElementById('scene-data').textContent);
const canvas = document.getElementById('view3d-canvas');
const slider = document.getElementById('time-slider');
const label = document.getElementById('time-label');

const renderer = new WebGLRenderer({ canvas, antialias: true });
renderer.setPixelRatio(1);
renderer.setSize(canvas.width, canvas.height, false);
const scene = new Scene();
scene.background = new Color(0xffffff);
scene.add(new AmbientLight(0xffffff, 1.2));
const light = new DirectionalLight(0xffffff, 1.8);
scene.add(light);

for (const surf of data.surfaces) {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(decode(surf.positions, Float32Array), 3));
  geometry.setIndex(new BufferAttribute(decode(surf.triangles, Uint32Array), 1));
  geometry.computeVertexNormals();
  const material = new MeshLambertMaterial({ color: 0xb8b0a8, transparent: true, opacity: 0.3, side: DoubleSide, depthWrite: false });
  scene.add(new Mesh(geometry, material));
}

// A volume source space has no surface: its sources as small translucent points.
if (data.points) {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(decode(data.points, Float32Array), 3));
  scene.add(new Points(geometry, new PointsMaterial({ color: 0x8a8078, size: 2, transparent: true, opacity: 0.35, depthWrite: false })));
}

// Each dipole: a ball at its position (always shown) and an arrow (shaft + head, unit length
// along +y, scaled per time) — solid meshes, as WebGL lines are one pixel wide whatever is asked.
const UP = new Vector3(0, 1, 0);
const arrows = data.dipoles.map((d) => {
  const material = new MeshLambertMaterial({ color: new Color(d.colour) });
  const ball = new Mesh(new SphereGeometry(3, 16, 12), material);
  ball.position.set(...d.pos);
  scene.add(ball);
  const arrow = new Group();
  const shaft = new Mesh(new CylinderGeometry(0.035, 0.035, 0.75, 12), material);
  shaft.position.y = 0.375;
  const head = new Mesh(new ConeGeometry(0.09, 0.25, 16), material);
  head.position.y = 0.875;
  arrow.add(shaft, head);
  arrow.position.set(...d.pos);
  scene.add(arrow);
  return arrow;
});

const [cx, cy, cz] = data.centre;
const camera = new PerspectiveCamera(40, canvas.width / canvas.height, 1, 5000);
camera.up.set(0, 0, 1);
// From the left, front and above, far enough for the whole cortex.
const view = new Vector3(-0.62, 0.5, 0.6).normalize().multiplyScalar(2.5 * data.radius);
camera.position.set(cx + view.x, cy + view.y, cz + view.z);
const controls = new OrbitControls(camera, canvas);
controls.target.set(cx, cy, cz);
controls.update();

function render() {
  light.position.copy(camera.position);
  renderer.render(scene, camera);
}

function showTime(t) {
  data.dipoles.forEach((d, k) => {
    const a = d.amplitude[t];
    const length = (Math.abs(a) / data.maxAmplitude) * data.maxArrowMm;
    arrows[k].visible = length > 0.5;
    if (!arrows[k].visible) return;
    const o = d.ori[t];
    const s = a < 0 ? -1 : 1;
    arrows[k].quaternion.copy(new Quaternion().setFromUnitVectors(UP, new Vector3(s * o[0], s * o[1], s * o[2]).normalize()));
    arrows[k].scale.setScalar(length);
  });
  label.textContent = 't = ' + (1000 * data.times[t] + 0).toFixed(1).replace(/^-0\.0$/, '0.0') + ' ms';
  render();
}

slider.max = String(data.times.length - 1);
slider.value = String(data.initialTime);
slider.addEventListener('input', () => showTime(Number(slider.value)));
controls.addEventListener('change', render);
showTime(data.initialTime);
document.body.dataset.viewerReady = 'true';
`;
