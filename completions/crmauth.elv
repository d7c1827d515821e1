
set edit:completion:arg-completer[crmauth] = { |@words|
    var index = (count $words)
    set index = (- $index 1)

    put (env _CLAP_IFS="\n" _CLAP_COMPLETE_INDEX=(to-string $index) CRMAUTH_COMPLETE="elvish" crmauth -- $@words) | to-lines
}

