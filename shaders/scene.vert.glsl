#version 330 core
#include "world_quad.glsl"
