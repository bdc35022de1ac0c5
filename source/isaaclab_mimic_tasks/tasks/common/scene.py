"""Scene parts several tasks share."""

from __future__ import annotations

import isaaclab.sim as sim_utils
from isaaclab.assets import AssetBaseCfg

__all__ = ["table_cfg"]


def table_cfg(size: tuple[float, float, float], center: tuple[float, float, float]) -> AssetBaseCfg:
    """A table: a collision box of ``size`` (x, y, thickness; m) centred at ``center`` (env frame), slate-coloured."""
    return AssetBaseCfg(
        prim_path="{ENV_REGEX_NS}/Table",
        init_state=AssetBaseCfg.InitialStateCfg(pos=center),
        spawn=sim_utils.CuboidCfg(
            size=size,
            collision_props=sim_utils.CollisionPropertiesCfg(),
            # slate (linear RGB): objects stand out
            visual_material=sim_utils.PreviewSurfaceCfg(diffuse_color=(0.06, 0.07, 0.09)),
        ),
    )
