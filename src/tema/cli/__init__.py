"""The `tema` command (`tema.cli.main:app`): one file per command group, parsing only.

`main` holds the app and its options; `pipeline` the stages of a batch (ingest, segment,
classify, report); `models` training and checking models (senter, train, evaluate,
compare-models); `labels` the labelling rounds (suggest, labels import|audit|agreement);
`serve` the browser app. Each command parses its options, calls one function of the stage
it names (`run(config, …)`) and prints that function's result.
"""
