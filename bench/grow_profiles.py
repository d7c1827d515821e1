"""Grows a file-store config dir to COUNT profiles for the growth benchmark of bench/run.

Usage: grow_profiles.py CONFIG_DIR COUNT

With a keyring config dir (no credentials.json), only profiles.json grows:
the added profiles say their secrets are in the keyring, as 1,000 keyring
logins would leave it; only the profiles crmauth wrote have one there.

CONFIG_DIR holds a few profiles that crmauth itself wrote (`apikey set --store
file`), named pNNNN. Every missing name from p0000 to p{COUNT-1:04d} is added
to profiles.json and credentials.json as a copy of the first real entry with
its own random API key of the same length, in the format crmauth writes
(profiles.json pretty-printed, credentials.json one compact record a line),
so that crmauth reads 1,000 realistic profiles. The real entries are kept as
they are: the profile the benchmark reads has a credential crmauth stored.
"""

import json
import os
import secrets
import sys


def write(path, text):
    # Replace the contents in place: the file keeps crmauth's owner and 0600 mode.
    with open(path, "w") as handle:
        handle.write(text)


def main(argv):
    config_dir, count = argv[1], int(argv[2])
    profiles_path = os.path.join(config_dir, "profiles.json")
    credentials_path = os.path.join(config_dir, "credentials.json")
    with open(profiles_path) as handle:
        profiles = json.load(handle)
    credentials = None
    if os.path.exists(credentials_path):
        with open(credentials_path) as handle:
            credentials = json.load(handle)["credentials"]

    real = sorted(profiles["profiles"])
    template_profile = profiles["profiles"][real[0]]
    for i in range(count):
        name = f"p{i:04d}"
        if name in profiles["profiles"]:
            continue
        profiles["profiles"][name] = json.loads(json.dumps(template_profile))
        if credentials is not None:
            secret = dict(credentials[real[0]])
            prefix = "vk_"
            key_bytes = (len(secret["access_token"]) - len(prefix)) // 2
            secret["access_token"] = prefix + secrets.token_hex(key_bytes)
            credentials[name] = secret

    profiles["profiles"] = dict(sorted(profiles["profiles"].items()))
    write(profiles_path, json.dumps(profiles, indent=2) + "\n")
    if credentials is None:
        return
    lines = [
        f"    {json.dumps(name)}: {json.dumps(record, separators=(',', ':'))}"
        for name, record in sorted(credentials.items())
    ]
    write(credentials_path, '{\n  "credentials": {\n' + ",\n".join(lines) + "\n  }\n}")


if __name__ == "__main__":
    main(sys.argv)
