"""GR1T2 pick-and-place: the right hand puts a can into a basket (Fourier GR1T2, absolute wrist poses, Pink IK).

Work in progress (issue 9): the scene, the robot and its IK action build and track kit-less; the grasp,
subtask signals, success term, scripted expert and Mimic variant come next, and only then are the IDs
(``Isaac-PickPlace-GR1T2-Abs-v0``, ``...-Play-v0``, ``...-Abs-Mimic-v0``) registered.
"""
