complete --keep-order --exclusive --command crmauth --arguments "(CRMAUTH_COMPLETE=fish crmauth -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
