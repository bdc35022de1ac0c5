"""Visual meshes light enough for a software rasterizer: the viewer window on a CPU (Mesa llvmpipe) spends about half
of a frame transforming triangles, and the packaged robot and object meshes are CAD-detailed (the Panda's visual
meshes: 135,000 triangles; the ketchup bottle alone: 66,000). Visual meshes only: colliders, masses and inertias are
left as they are, so the physics does not change.
"""

from __future__ import annotations

import pathlib

import numpy as np

MAX_VISUAL_TRIANGLES = 1500
"""Triangles a visual mesh keeps at most (quadric decimation); enough to recognise a bottle or a robot link."""


def simplified_mesh(points: np.ndarray, faces: np.ndarray, max_triangles: int = MAX_VISUAL_TRIANGLES):
    """``(points, faces)`` decimated to at most about ``max_triangles`` triangles (unchanged if it has fewer)."""
    if len(faces) <= max_triangles:
        return points, faces
    import fast_simplification

    # weld first: meshes read from STL are triangle soup (each triangle its own corners), which decimation can only
    # thin out into loose shards, not simplify
    points, corner = np.unique(np.round(np.asarray(points, dtype=np.float64), 6), axis=0, return_inverse=True)
    faces = corner.reshape(-1)[np.asarray(faces)]
    faces = faces[(faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])]
    points, faces = fast_simplification.simplify(
        np.asarray(points, dtype=np.float32), np.asarray(faces, dtype=np.int64), target_count=max_triangles
    )
    return np.asarray(points, dtype=np.float64), np.asarray(faces, dtype=np.int64)


def vertex_normals(points: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Smooth per-vertex normals (area-weighted face normals), for a mesh whose authored normals no longer fit."""
    corners = points[faces]
    face_normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    normals = np.zeros_like(points)
    for k in range(3):
        np.add.at(normals, faces[:, k], face_normals)
    return normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)


def _triangles(counts: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Fan-triangulated faces of a USD polygon mesh."""
    faces, start = [], 0
    for count in counts:
        polygon = indices[start : start + count]
        faces += [(polygon[0], polygon[i], polygon[i + 1]) for i in range(1, count - 1)]
        start += count
    return np.asarray(faces, dtype=np.int64).reshape(-1, 3)


def simplify_visual_meshes(usd_path: pathlib.Path, max_triangles: int = MAX_VISUAL_TRIANGLES) -> int:
    """Decimate every rendered (not ``guide``, not collision) mesh of the asset at ``usd_path`` with more than
    ``max_triangles`` triangles, in the layer that authors its points; per-vertex primvars (normals, texture
    coordinates) of such a mesh are replaced by smooth normals of the new mesh. Returns the number of meshes changed."""
    from pxr import Sdf, Usd, UsdGeom, UsdPhysics, Vt

    stage = Usd.Stage.Open(str(usd_path))
    changed_layers, changed = set(), 0
    for prim in stage.Traverse():
        if not prim.IsA(UsdGeom.Mesh) or prim.HasAPI(UsdPhysics.CollisionAPI):
            continue
        if UsdGeom.Imageable(prim).ComputePurpose() == UsdGeom.Tokens.guide:
            continue
        mesh = UsdGeom.Mesh(prim)
        counts = np.asarray(mesh.GetFaceVertexCountsAttr().Get() or [], dtype=np.int64)
        if counts.sum() - 2 * len(counts) <= max_triangles:  # triangles after fan triangulation
            continue
        indices = np.asarray(mesh.GetFaceVertexIndicesAttr().Get(), dtype=np.int64)
        points, faces = simplified_mesh(
            np.asarray(mesh.GetPointsAttr().Get()), _triangles(counts, indices), max_triangles
        )
        spec = next(s for s in prim.GetPrimStack() if "points" in s.attributes)
        spec.attributes["points"].default = Vt.Vec3fArray.FromNumpy(points.astype(np.float32))
        for name, value in (("faceVertexCounts", np.full(len(faces), 3)), ("faceVertexIndices", faces.reshape(-1))):
            attribute = (
                spec.attributes[name]
                if name in spec.attributes
                else Sdf.AttributeSpec(spec, name, Sdf.ValueTypeNames.IntArray)
            )
            attribute.default = Vt.IntArray.FromNumpy(value.astype(np.int32))
        normals = (
            Sdf.AttributeSpec(spec, "normals", Sdf.ValueTypeNames.Normal3fArray)
            if "normals" not in spec.attributes
            else spec.attributes["normals"]
        )
        normals.default = Vt.Vec3fArray.FromNumpy(vertex_normals(points, faces).astype(np.float32))
        if "extent" in spec.attributes:
            spec.attributes["extent"].default = Vt.Vec3fArray.FromNumpy(
                np.stack([points.min(axis=0), points.max(axis=0)]).astype(np.float32)
            )
        changed_layers.add(spec.layer)
        for layer_spec in prim.GetPrimStack():  # per-vertex data may be authored in another layer than the points
            for name in list(layer_spec.attributes.keys()):
                if (
                    (name == "normals" and layer_spec is not spec)
                    or name.startswith("primvars:")
                    and not name.startswith(("primvars:displayColor", "primvars:displayOpacity"))
                ):
                    layer_spec.RemoveProperty(layer_spec.attributes[name])
                    changed_layers.add(layer_spec.layer)
        changed += 1
    for layer in changed_layers:
        layer.Save()
    return changed
