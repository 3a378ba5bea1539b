"""Callbacks that put ``dldoctor.watch`` into training frameworks (optional dependencies).

* Lightning: ``Trainer(callbacks=[dldoctor.integrations.lightning.Watch("run.trace")])``
* Hugging Face: ``Trainer(..., callbacks=[dldoctor.integrations.transformers.Watch("run.trace")])``
"""
