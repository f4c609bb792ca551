// Stand-in include for the broken-shader test.
vec3 viridis(float t)
{
    return vec3(t);
}
