"""CMS's quarterly files, read into the catalog: NDCs, billing units, payment limits, OPPS status.

Three files a quarter are the authority coders and auditors use: the ASP NDC-HCPCS
crosswalk (which NDC bills under which code, and how many billing units one vial is), the
ASP pricing file (Medicare's payment allowance limit per billing unit) and OPPS Addendum B
(status indicator: K separately paid, N packaged). `importer.import_files` reads them;
`model` holds what the catalog keeps of them. This package's __init__ imports nothing so
that loading the catalog does not pull in the CSV and zip readers.
"""
