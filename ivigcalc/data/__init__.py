"""The data layer: the bundled and site catalogs, validated at load. Imports no other stage."""
