"""Error messages that can be said in English or Chinese: a message key and its values.

A sibling of the probes' evidence table (:mod:`dldoctor.probes.evidence`), kept apart on
purpose: errors are raised from every layer — the engine, the cheap command-line checks that
run before torch or the probes are imported — so this module is a leaf (standard library
only), and an error's values are shown as they are (paths, option names, numbers already
formatted the way the English text always showed them), not through the evidence's number
formatting.

``err("file.missing", path=path)`` is a ``str`` (the English sentence, exactly as before, so
logs, saved sessions and tests that grep it are unchanged) that also remembers its key and
values; :func:`in_lang` says it again in another language. A value that is itself an
:class:`ErrorText` is said in the same language. Text quoted from somewhere else (a library's
exception) stays as it is; the Chinese templates put it inside “…”.

The command line learns the language when ``--lang`` is parsed (:func:`set_lang`), before a
session exists; :func:`current_lang` is what ``fail()`` prints in.
"""

from __future__ import annotations

from typing import Any, Self

__all__ = ["ErrorText", "err", "in_lang", "set_lang", "current_lang", "ERRORS"]

# {name} placeholders, str.format syntax ({name!r} as the English f-strings had it).
ERRORS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ any input file
    "read.no_file": {"en": "no such file", "zh": "没有这个文件"},
    "read.loop": {"en": "a symlink loop", "zh": "符号链接成环"},
    "read.cannot": {"en": "cannot read it ({reason})", "zh": "无法读取（“{reason}”）"},
    "read.folder": {"en": "is a folder, not a file", "zh": "是文件夹，不是文件"},
    "read.not_regular": {"en": "not a regular file (a FIFO, socket or device); give a real file",
                         "zh": "不是普通文件（而是 FIFO、socket 或设备）；请给出真正的文件"},
    "read.too_big": {"en": "{size} bytes is more than the {cap} this file may hold; is it the "
                           "right file?",
                     "zh": "{size} 字节超过了这种文件的上限 {cap} 字节；是不是给错了文件？"},
    "read.grew": {"en": "more than the {cap} bytes this file may hold; is it the right file?",
                  "zh": "超过了这种文件的上限 {cap} 字节；是不是给错了文件？"},
    "file.missing": {"en": "{path}: no such file or directory",
                     "zh": "{path}：没有这个文件或目录"},
    "file.dangling_link": {"en": "{path}: a symbolic link that leads nowhere (a loop, or its "
                                 "target is gone): give the file itself",
                           "zh": "{path}：符号链接指向不存在的位置（循环链接或目标已删除）："
                                 "请直接给出文件本身"},
    "file.missing_or_folder": {"en": "{path}: no such file or folder",
                               "zh": "{path}：没有这个文件或文件夹"},
    "file.empty": {"en": "{path}: the file is empty (0 bytes): give one that was saved completely",
                   "zh": "{path}：文件是空的（0 字节）：请给出完整保存的文件"},
    "file.cannot_read": {"en": "{path}: cannot read it ({reason})",
                         "zh": "{path}：无法读取（“{reason}”）"},
    "file.problem": {"en": "{path}: {problem}", "zh": "{path}：{problem}"},
    "model.no_factory": {
        "en": "{file}: defines no top-level {name} (from --model {model}); its functions and "
              "classes: {defined} — name the one that builds the model as FILE.py:NAME",
        "zh": "{file}：顶层没有定义 {name}（来自 --model {model}）；它的函数和类：{defined}"
              "——请用 FILE.py:NAME 指定构建模型的那一个"},
    "model.missing_file": {"en": "{file}: no such file (from --model {model})",
                           "zh": "{file}：没有这个文件（来自 --model {model}）"},
    # ------------------------------------------------------------ checkpoints
    "ckpt.truncated_safetensors": {
        "en": "{path}: a truncated safetensors file (its header is longer than the file)",
        "zh": "{path}：safetensors 文件被截断了（文件头比整个文件还长）"},
    "ckpt.unknown_format": {
        "en": "{path}: not a checkpoint dldoctor can read (expected torch.save, TorchScript or "
              "safetensors; its first bytes match none of them)",
        "zh": "{path}：不是 dldoctor 能读取的 checkpoint（应为 torch.save、TorchScript 或 "
              "safetensors 文件；开头的字节与三者都不符）"},
    "ckpt.unreadable": {"en": "{path}: unreadable checkpoint ({kind}: {first})",
                        "zh": "{path}：无法读取这个 checkpoint（{kind}：“{first}”）"},
    "ckpt.expected_torch": {"en": "{path}: expected a torch.save file, found {kind}",
                            "zh": "{path}：这里需要 torch.save 文件，却是 {kind} 文件"},
    "ckpt.refused_pickle": {
        "en": "{path}: refused, the pickle needs more than tensors ({what}) and loading it would "
              "run code from the file; pass --trust-checkpoint only if you trust where it came "
              "from",
        "zh": "{path}：已拒绝读取，这个 pickle 不只包含张量（{what}），加载它会执行文件里的"
              "代码；只有确信文件来源可靠时才加 --trust-checkpoint"},
    "batch.refused_pickle": {
        "en": "{path}: refused, the batch's pickle needs more than tensors ({what}) and loading "
              "it would run code from the file; save the batch as tensors: "
              "torch.save((inputs, targets), path)",
        "zh": "{path}：已拒绝读取，这个 batch 的 pickle 不只包含张量（{what}），加载它会执行文件里"
              "的代码；请只保存张量：torch.save((inputs, targets), path)"},
    "ckpt.pickle_global": {"en": "it references {name}", "zh": "引用了 {name}"},
    "ckpt.pickle_objects": {"en": "it holds Python objects", "zh": "包含 Python 对象"},
    "ckpt.corrupt_pickle": {"en": "{path}: corrupt pickle ({first})",
                            "zh": "{path}：pickle 已损坏（“{first}”）"},
    "ckpt.corrupt_torch": {"en": "{path}: corrupt or truncated torch.save file ({first}): save "
                                 "or copy it again",
                           "zh": "{path}：torch.save 文件已损坏或被截断（“{first}”）：请重新保存"
                                 "或复制"},
    "ckpt.is_batch": {"en": "{path}: this holds a batch (inputs and targets), not model "
                            "weights: give it with --batch, and the checkpoint with --checkpoint",
                      "zh": "{path}：这是一个 batch（输入和标签），不是模型权重：请用 --batch "
                            "传入它，用 --checkpoint 传入 checkpoint"},
    "ckpt.bare_tensor": {"en": "{path}: one bare tensor ({shape}), not a model's weights: save "
                               "model.state_dict() (or {{'model': model.state_dict(), "
                               "'optimizer': optimizer.state_dict()}})",
                         "zh": "{path}：只是一个张量（{shape}），不是模型权重：请保存 "
                               "model.state_dict()（或 {{'model': model.state_dict(), "
                               "'optimizer': optimizer.state_dict()}}）"},
    "ckpt.no_weights": {"en": "{path}: no model weights found (top-level keys: {keys})",
                        "zh": "{path}：没有找到模型权重（顶层的键：{keys}）"},
    "ckpt.bad_optimizer": {"en": "{path}: unreadable optimizer state ({problem})",
                           "zh": "{path}：无法读取优化器状态（“{problem}”）"},
    "ckpt.trainer_state": {
        "en": "{path}: the Hugging Face Trainer's log, not weights: give it with --log, or give "
              "its folder with --checkpoint {folder} (its weights, optimizer and this log)",
        "zh": "{path}：这是 Hugging Face 的 Trainer 日志，不是权重：请用 --log 给出它，或用 "
              "--checkpoint {folder} 给出它所在的文件夹（权重、优化器和这份日志）"},
    "ckpt.no_checkpoint_in_folder": {
        "en": "{path}: no checkpoint in this folder (looked for *.safetensors, *.index.json, "
              "*.pt/*.pth/*.ckpt/*.bin, and a DCP .metadata)",
        "zh": "{path}：这个文件夹里没有 checkpoint（查找了 *.safetensors、*.index.json、"
              "*.pt/*.pth/*.ckpt/*.bin 和 DCP 的 .metadata）"},
    "st.shape": {"en": "tensor {name!r} has no valid shape (a list of sizes ≥ 0)",
                 "zh": "张量 {name!r} 没有有效的形状（应为由 ≥ 0 的尺寸组成的列表）"},
    "st.short": {"en": "too short to be a safetensors file (truncated?)",
                 "zh": "太短了，不可能是 safetensors 文件（被截断了？）"},
    "st.header_truncated": {"en": "not a safetensors file, or its header is truncated",
                            "zh": "不是 safetensors 文件，或者文件头被截断了"},
    "st.nested": {"en": "the safetensors header is nested too deeply (corrupt?)",
                  "zh": "safetensors 文件头嵌套太深（已损坏？）"},
    "st.json": {"en": "the safetensors header is not valid JSON (corrupt?)",
                "zh": "safetensors 文件头不是有效的 JSON（已损坏？）"},
    "st.object": {"en": "the safetensors header is not a JSON object (corrupt?)",
                  "zh": "safetensors 文件头不是 JSON 对象（已损坏？）"},
    "st.metadata": {"en": "the safetensors __metadata__ is not an object",
                    "zh": "safetensors 的 __metadata__ 不是对象"},
    "st.entry": {"en": "tensor {name!r} has a malformed header entry",
                 "zh": "张量 {name!r} 的文件头条目格式有误"},
    "st.dtype": {"en": "tensor {name!r} has dtype {dtype} dldoctor cannot read",
                 "zh": "张量 {name!r} 的 dtype 为 {dtype}，dldoctor 无法读取"},
    "st.offsets": {"en": "tensor {name!r} has no valid data_offsets (two integers)",
                   "zh": "张量 {name!r} 没有有效的 data_offsets（应为两个整数）"},
    "st.past_end": {"en": "tensor {name!r} lies past the end of the file (truncated?)",
                    "zh": "张量 {name!r} 超出了文件末尾（被截断了？）"},
    "st.size": {"en": "tensor {name!r}: shape {shape} of {dtype} does not fit its {n} bytes "
                      "(corrupt header)",
                "zh": "张量 {name!r}：{dtype} 的形状 {shape} 与它的 {n} 字节对不上"
                      "（文件头已损坏）"},
    "st.overlap": {"en": "tensors {first!r} and {second!r} overlap in the file (corrupt header)",
                   "zh": "张量 {first!r} 和 {second!r} 在文件中重叠（文件头已损坏）"},
    "zip.corrupt": {"en": "truncated or corrupt zip archive (no central directory): was it saved "
                          "or copied completely?",
                    "zh": "zip 归档被截断或已损坏（没有中央目录）：它是否被完整保存或复制？"},
    "zip.no_data": {"en": "a zip archive without data.pkl: not a torch.save or TorchScript file",
                    "zh": "zip 归档里没有 data.pkl：不是 torch.save 或 TorchScript 文件"},
    "zip.encrypted": {"en": "member {name!r} is encrypted", "zh": "成员 {name!r} 是加密的"},
    "zip.stores": {"en": "member {name!r} declares {n} bytes but stores {stored}",
                   "zh": "成员 {name!r} 声明有 {n} 字节，实际存了 {stored} 字节"},
    "zip.big_pickle": {"en": "member {name!r} is a pickle of {n} bytes, more than dldoctor reads "
                             "(a state dict's pickle is kilobytes; tampered archive?)",
                       "zh": "成员 {name!r} 是 {n} 字节的 pickle，超过了 dldoctor 读取的上限"
                             "（state dict 的 pickle 只有几 KB；归档被篡改了？）"},
    "zip.compressed": {"en": "storage record {name!r} is compressed; torch writes tensors "
                             "uncompressed (tampered archive?)",
                       "zh": "存储记录 {name!r} 是压缩过的；torch 写张量时不压缩"
                             "（归档被篡改了？）"},
    "zip.bomb": {"en": "member {name!r} would decompress to {n} bytes, more than dldoctor reads "
                       "(zip bomb?)",
                 "zh": "成员 {name!r} 解压后有 {n} 字节，超过了 dldoctor 读取的上限（zip 炸弹？）"},
    "zip.decompress": {"en": "member {name!r} does not decompress to what it declares ({reason})",
                       "zh": "成员 {name!r} 解压后与声明的不符（“{reason}”）"},
    "zip.holds": {"en": "member {name!r} declares {n} bytes but holds {held}",
                  "zh": "成员 {name!r} 声明有 {n} 字节，实际有 {held} 字节"},
    "index.nested": {"en": "{path}: not a sharded-checkpoint index (nested too deeply)",
                     "zh": "{path}：不是分片 checkpoint 的索引（嵌套太深）"},
    "index.bad": {"en": "{path}: not a sharded-checkpoint index ({reason}); give --checkpoint "
                        "the file torch.save wrote (.pt, .pth, .ckpt), a .safetensors file, or "
                        "the *.index.json beside its shards",
                  "zh": "{path}：不是分片 checkpoint 的索引（“{reason}”）；请给 --checkpoint "
                        "torch.save 保存的文件（.pt、.pth、.ckpt）、.safetensors 文件，或与分片"
                        "放在一起的 *.index.json"},
    "index.outside": {"en": "{path}: refused, it names a shard outside its own folder ({name!r}); "
                            "shards must sit beside the index",
                      "zh": "{path}：已拒绝，它指向自身文件夹之外的分片（{name!r}）；"
                            "分片必须和索引放在一起"},
    "index.missing_shard": {"en": "{path}: shard {name!r} is missing or not a file",
                            "zh": "{path}：分片 {name!r} 不存在或不是文件"},
    "dcp.references": {"en": "references {name}", "zh": "引用了 {name}"},
    "dcp.objects": {"en": "holds Python objects", "zh": "包含 Python 对象"},
    "dcp.refused_value": {
        "en": "{path}: refused, a value in the distributed checkpoint {what} and loading it would "
              "run code; pass --trust-checkpoint only if you trust this folder",
        "zh": "{path}：已拒绝读取，分布式 checkpoint 中的一个值{what}，加载它会执行代码；"
              "只有信任这个文件夹时才加 --trust-checkpoint"},
    "dcp.refused_index": {
        "en": "{path}: refused, the distributed-checkpoint index references {name} and loading "
              "it would run code; pass --trust-checkpoint only if you trust this folder",
        "zh": "{path}：已拒绝读取，分布式 checkpoint 的索引引用了 {name}，加载它会执行代码；"
              "只有信任这个文件夹时才加 --trust-checkpoint"},
    "dcp.unreadable": {"en": "{path}: unreadable distributed checkpoint ({first})",
                       "zh": "{path}：无法读取分布式 checkpoint（“{first}”）"},
    "ts.no_data": {"en": "{path}: TorchScript archive without data.pkl (corrupt?)",
                   "zh": "{path}：TorchScript 归档里没有 data.pkl（已损坏？）"},
    "ts.unreadable": {"en": "{path}: unreadable TorchScript archive ({first})",
                      "zh": "{path}：无法读取 TorchScript 归档（“{first}”）"},
    "tensor.not_dense": {
        "en": "{path}: tensor {name!r} is {what}; dldoctor reads dense tensors with data only "
              "(save the dense weights: tensor.to_dense() / dequantize())",
        "zh": "{path}：张量 {name!r} 是{what}；dldoctor 只读取带数据的稠密张量"
              "（请保存稠密权重：tensor.to_dense() / dequantize()）"},
    "tensor.sparse": {"en": "sparse", "zh": "稀疏张量"},
    "tensor.quantized": {"en": "quantized", "zh": "量化张量"},
    "tensor.meta": {"en": "a meta tensor (shape only, no data)",
                    "zh": " meta 张量（只有形状，没有数据）"},
    "tensor.nested": {"en": "nested", "zh": "嵌套张量"},
    "runs.more": {"en": " and {n} more", "zh": " 等，另有 {n} 个"},
    "runs.many": {"en": "{path}: holds {n} separate runs ({names}{more}); runs are never merged: "
                        "pass the one run folder with --log, or its checkpoint inside it with "
                        "--checkpoint",
                  "zh": "{path}：包含 {n} 个独立的运行（{names}{more}）；不同运行从不合并："
                        "请用 --log 给出其中一个运行的文件夹，或用 --checkpoint 给出其中的 "
                        "checkpoint"},
    "runs.unreadable": {"en": "{path}: unreadable ({reason})",
                        "zh": "{path}：无法读取（“{reason}”）"},
    "runs.no_history": {
        "en": "{path}: a JSON document without a 'log_history' list (expected a Hugging Face "
              "trainer_state.json, or one JSON object per line)",
        "zh": "{path}：JSON 文档里没有 'log_history' 列表（应为 Hugging Face 的 "
              "trainer_state.json，或每行一个 JSON 对象）"},
    "runs.many_ckpts": {"en": "{path}: holds {n} checkpoints ({names}); pass one of them with "
                              "--checkpoint",
                        "zh": "{path}：有 {n} 个 checkpoint（{names}）；请用 --checkpoint "
                              "给出其中一个"},
    "live.no_tensor": {"en": "the model returned no tensor", "zh": "模型没有返回张量"},
    "live.no_loss": {"en": "cannot compute a loss: {reason}",
                     "zh": "无法计算 loss：“{reason}”"},
    "probe.needs": {"en": "this probe needs {option}", "zh": "这个探针需要 {option}"},
    "batch.not_torch": {
        "en": "{path}: not a batch dldoctor can read (its first bytes match no torch.save "
              "file); save it with torch.save((inputs, targets), path)",
        "zh": "{path}：不是 dldoctor 能读取的 batch（文件开头不像任何 torch.save 文件）；"
              "请用 torch.save((inputs, targets), path) 保存"},
    "batch.folder": {
        "en": "{path}: a folder; --batch takes one torch file holding a batch: save it with "
              "torch.save((inputs, targets), path)",
        "zh": "{path}：是文件夹；--batch 需要一个保存了 batch 的 torch 文件：请用 "
              "torch.save((inputs, targets), path) 保存"},
    "batch.expected_torch": {
        "en": "{path}: expected a torch.save file holding the batch, found {kind}",
        "zh": "{path}：这里需要保存 batch 的 torch.save 文件，却是 {kind} 文件"},
    # ------------------------------------------------------------ model and batch
    "model.form": {"en": "--model {spec}: expected FILE.py:FACTORY or MODULE:FACTORY",
                   "zh": "--model {spec}：写法应为 FILE.py:FACTORY 或 MODULE:FACTORY"},
    "model.no_file": {"en": "--model {spec}: no such file {target}",
                      "zh": "--model {spec}：没有文件 {target}"},
    "model.cannot_import": {"en": "--model {spec}: cannot import {target}",
                            "zh": "--model {spec}：无法导入 {target}"},
    "model.import_failed": {"en": "--model {spec}: importing {target} failed: {kind}: {reason}",
                            "zh": "--model {spec}：导入 {target} 失败：{kind}：“{reason}”"},
    "model.no_module": {"en": "--model {spec}: cannot import module {target}: {kind}: {reason}",
                        "zh": "--model {spec}：无法导入模块 {target}：{kind}：“{reason}”"},
    "model.no_attribute": {"en": "--model {spec}: {target} has no attribute {name!r}",
                           "zh": "--model {spec}：{target} 里没有 {name!r}"},
    "model.factory_raised": {"en": "--model {spec}: the factory raised {kind}: {reason}",
                             "zh": "--model {spec}：工厂函数抛出了 {kind}：“{reason}”"},
    "model.factory_hung": {"en": "--model {spec}: the file and its factory had not returned a "
                                 "model after {seconds} s (an endless loop, a download that "
                                 "never comes?); make the factory build the model alone, quickly",
                           "zh": "--model {spec}：{seconds} 秒后文件及其工厂函数仍未返回模型"
                                 "（死循环，或一直等不到的下载？）；请让工厂函数只负责快速"
                                 "构建模型"},
    "model.not_module": {"en": "--model {spec}: the factory returned {kind}, not a "
                               "torch.nn.Module",
                         "zh": "--model {spec}：工厂函数返回的是 {kind}，不是 torch.nn.Module"},
    "model.needed": {"en": "live probes need --model FILE.py:FACTORY",
                     "zh": "实时探针需要 --model FILE.py:FACTORY"},
    "model.weights_mismatch": {
        "en": "--checkpoint {checkpoint}: none of its {n} weights matches a parameter of "
              "--model {model} ({m}) by name and shape: are they from the same run? Give the "
              "model that was trained, or leave out --model and --batch to diagnose from the "
              "checkpoint and the log alone",
        "zh": "--checkpoint {checkpoint}：其 {n} 个权重中没有一个在名称和形状上与 --model {model} "
              "的参数（{m} 个）相符：它们来自同一次训练吗？请给出训练时的模型，或去掉 --model "
              "和 --batch，只用 checkpoint 和日志诊断"},
    "model.weights_mostly_mismatch": {
        "en": "--checkpoint {checkpoint}: only {k} of its {n} weights match a parameter of "
              "--model {model} ({m}) by name and shape: are they from the same run? Give the "
              "model that was trained, or leave out --model and --batch to diagnose from the "
              "checkpoint and the log alone",
        "zh": "--checkpoint {checkpoint}：其 {n} 个权重中只有 {k} 个在名称和形状上与 --model "
              "{model} 的参数（{m} 个）相符：它们来自同一次训练吗？请给出训练时的模型，或去掉 "
              "--model 和 --batch，只用 checkpoint 和日志诊断"},
    "model.cannot_run_skipped": {
        "en": "--model {model} cannot run on --batch {batch}, inputs {shape} ({problem}), so "
              "the live probes were skipped and the other files examined; to have the model "
              "run, save forward()'s other arguments in the batch file (a dict keyed by their "
              "names beside 'inputs' and 'targets', or a tuple (inputs, …, targets))",
        "zh": "--model {model} 无法在 --batch {batch}（输入 {shape}）上运行（“{problem}”），"
              "所以跳过了运行模型的检查，其他文件照常检查；要让模型运行，请把 forward() 的其他"
              "参数存进 batch 文件（在 'inputs' 和 'targets' 旁按参数名存入字典，或存成元组 "
              "(inputs, …, targets)）"},
    "model.cannot_run_again": {"en": "skipped: --model {model} cannot run on the batch (the "
                                     "first live probe's note says why)",
                               "zh": "已跳过：--model {model} 无法在这个 batch 上运行（原因见第一个"
                                     "运行模型的检查的说明）"},
    "model.cannot_run": {"en": "--model {model} cannot run on --batch {batch}, inputs {shape} "
                               "({problem}); check "
                               "the batch's shape and dtype against the model (forward()'s "
                               "other arguments come from the batch file: a dict keyed by "
                               "their names beside 'inputs' and 'targets', or a tuple "
                               "(inputs, …, targets)), or leave out --model and --batch for a "
                               "diagnosis from the checkpoint and log",
                         "zh": "--model {model} 无法在 --batch {batch}（输入 {shape}）上运行"
                               "（“{problem}”）；"
                               "请对照模型检查 batch 的形状和 dtype（forward() 的其他参数取自 "
                               "batch 文件：在 'inputs' 和 'targets' 旁按参数名存入字典，或存成"
                               "元组 (inputs, …, targets)），或去掉 --model 和 --batch，只根据 "
                               "checkpoint 和日志诊断"},
    "batch.form": {"en": "{path}: expected (inputs, targets) or {{'inputs': …, 'targets': …}} "
                         "holding tensors, found {kind}",
                   "zh": "{path}：应为装着张量的 (inputs, targets) 或 "
                         "{{'inputs': …, 'targets': …}}，却是 {kind}"},
    "batch.keys": {"en": "{path}: a dict with keys {keys} and none of them names the inputs; "
                         "save them as {{'inputs': …, 'targets': …}} (or under x/y, images/"
                         "labels, input_ids/labels)",
                   "zh": "{path}：字典的键是 {keys}，没有一个表示输入；请存成 "
                         "{{'inputs': …, 'targets': …}}（或 x/y、images/labels、"
                         "input_ids/labels）"},
    "batch.targets": {"en": "{path}: targets are {kind}, not a tensor",
                      "zh": "{path}：targets 是 {kind}，不是张量"},
    "batch.empty": {"en": "{path}: the batch is empty: save one real batch, e.g. "
                          "torch.save((x, y), \"batch.pt\") with x, y = next(iter(loader))",
                    "zh": "{path}：batch 是空的：请保存一个真实的 batch，例如 "
                          "x, y = next(iter(loader)) 之后 torch.save((x, y), \"batch.pt\")"},
    "batch.lengths": {"en": "{path}: {n} inputs but {m} targets",
                      "zh": "{path}：有 {n} 个输入，却有 {m} 个目标"},
    "batch.needed": {"en": "live probes need --batch FILE", "zh": "实时探针需要 --batch FILE"},
    # ------------------------------------------------------------ logs
    "log.unreadable": {"en": "{path}: unreadable log ({kind}: {first})",
                       "zh": "{path}：无法读取这个日志（{kind}：“{first}”）"},
    "log.needs_tensorboard": {
        "en": "{path}: reading TensorBoard logs needs the tensorboard package: pip install "
              "'dldoctor[tensorboard]'",
        "zh": "{path}：读取 TensorBoard 日志需要 tensorboard 包：pip install "
              "'dldoctor[tensorboard]'"},
    "log.no_events": {"en": "{path}: no log dldoctor finds by itself here (TensorBoard *tfevents* "
                            "files, metrics.csv, summary.csv, trainer_state.json); give the log "
                            "file itself with --log",
                      "zh": "{path}：这里没有 dldoctor 能自动找到的日志（TensorBoard 的 *tfevents* "
                            "文件、metrics.csv、summary.csv、trainer_state.json）；请用 --log "
                            "直接给出日志文件"},
    "log.bad_events": {"en": "{path}: unreadable TensorBoard events ({reason})",
                       "zh": "{path}：无法读取 TensorBoard 事件（“{reason}”）"},
    "log.no_scalars": {"en": "{path}: no readable scalars in the TensorBoard events (corrupt or "
                             "truncated event file?)",
                       "zh": "{path}：TensorBoard 事件中没有可读的标量（事件文件损坏或被截断？）"},
    "log.empty": {"en": "{path}: the log is empty: give it once training has logged some steps",
                  "zh": "{path}：日志是空的：请等训练记录了若干步之后再给出"},
    "log.not_a_log": {
        "en": "{path}: does not look like a metrics log (its first line, \"{first}\", is "
              "words, not column names); give --log the CSV, TSV, JSON lines or TensorBoard "
              "events your training wrote",
        "zh": "{path}：看起来不是训练日志（第一行“{first}”是一句话，不是列名）；请用 --log 指定"
              "训练写出的 CSV、TSV、JSON lines 或 TensorBoard 事件文件"},
    "log.no_columns": {
        "en": "{path}: no known metric columns among {found} (looked for loss, val_loss, acc, "
              "val_acc, lr, grad_norm and their usual spellings); rename the training loss's "
              "column to loss (and the validation one to val_loss), or leave out --log",
        "zh": "{path}：在 {found} 中没有认得的指标列（查找了 loss、val_loss、acc、val_acc、lr、"
              "grad_norm 及其常见写法）；请把训练 loss 的列改名为 loss（验证的改为 val_loss），"
              "或去掉 --log"},
    "log.no_columns_skipped": {
        "en": "{path}: no known metric columns among {found}, so its curves were not read "
              "(the other files were examined); to have them read, rename the training loss's "
              "column to loss and the validation one to val_loss",
        "zh": "{path}：在 {found} 中没有认得的指标列，所以没有读取它的曲线（其他文件照常检查）；"
              "要读取它们，请把训练 loss 的列改名为 loss，验证的改为 val_loss"},
    "log.json_array": {"en": "{path}: one JSON document, not JSON lines: write one JSON object "
                             "per step, one per line (json.dumps(record) + newline), such as "
                             "{{\"step\": 10, \"loss\": 0.53}}",
                       "zh": "{path}：这是一个完整的 JSON 文档，不是 JSON lines：请每步一行写一个 "
                             "JSON 对象（json.dumps(record) 加换行），例如 "
                             "{{\"step\": 10, \"loss\": 0.53}}"},
    "log.no_numbers_json": {"en": "{path}: no numbers in the key(s) {columns}: write one JSON "
                                  "object per step, one per line, such as "
                                  "{{\"step\": 10, \"loss\": 0.53}}",
                            "zh": "{path}：{columns} 键中没有数字：请每步一行写一个 JSON 对象，"
                                  "例如 {{\"step\": 10, \"loss\": 0.53}}"},
    "log.no_rows": {"en": "{path}: the log has a header ({columns}) but no rows yet: give it "
                          "once training has logged some steps",
                    "zh": "{path}：日志只有表头（{columns}），还没有数据行：请等训练记录了若干步"
                          "之后再给出"},
    "log.no_numbers": {"en": "{path}: no numbers in the column(s) {columns} (a decimal comma such "
                             "as 2,3 is not read, nor a tensor of several values): write one "
                             "number per cell, with '.' as the decimal point (loss.item(), "
                             "not the tensor)",
                       "zh": "{path}：{columns} 列中没有数字（不支持 2,3 这样的小数逗号，也不支持"
                             "含多个值的张量）：每格写一个数字，用 '.' 作小数点（写 loss.item()，"
                             "不要写张量本身）"},
    "log.csv_no_header": {"en": "{path}: the CSV log has no header row",
                          "zh": "{path}：CSV 日志没有表头行"},
    "log.is_checkpoint": {"en": "{path}: this is a PyTorch file (a checkpoint or a batch), not "
                                "a metrics log: give it with --checkpoint or --batch, and the "
                                "CSV, JSON-lines or TensorBoard log with --log",
                          "zh": "{path}：这是一个 PyTorch 文件（checkpoint 或 batch），不是指标"
                                "日志：请用 --checkpoint 或 --batch 传入它，再用 --log 传入 CSV、"
                                "JSON-lines 或 TensorBoard 日志"},
    "log.csv_unreadable": {"en": "{path}: unreadable CSV log ({reason}): give a UTF-8 text CSV "
                                 "with a header row",
                           "zh": "{path}：无法读取 CSV 日志（“{reason}”）：请给出带表头行的 "
                                 "UTF-8 文本 CSV"},
    "log.not_text": {"en": "{path}: binary data, not a text log: give the CSV, JSON-lines or "
                           "TensorBoard log the training wrote with --log",
                     "zh": "{path}：这是二进制数据，不是文本日志：请用 --log 传入训练写出的 CSV、"
                           "JSON-lines 或 TensorBoard 日志"},
    "log.not_json_line": {"en": "{path}:{line}: not JSON ({reason})",
                          "zh": "{path}:{line}：不是 JSON（“{reason}”）"},
    "log.jsonl_unreadable": {"en": "{path}: unreadable JSON-lines log ({reason})",
                             "zh": "{path}：无法读取 JSON-lines 日志（“{reason}”）"},
    # ------------------------------------------------------------ the command line
    "opt.set_form": {"en": "--set takes FACT=VALUE, not {pair!r}",
                     "zh": "--set 的写法是 FACT=VALUE，而不是 {pair!r}"},
    "opt.lang": {"en": "--lang must be en or zh, not {lang!r}",
                 "zh": "--lang 只能是 en 或 zh，而不是 {lang!r}"},
    "opt.device": {"en": "--device must be auto, cpu or cuda, not {device!r}",
                   "zh": "--device 只能是 auto、cpu 或 cuda，而不是 {device!r}"},
    "opt.model_form": {"en": "--model must be FILE.py:FACTORY or MODULE:FACTORY, not {model!r}",
                       "zh": "--model 的写法是 FILE.py:FACTORY 或 MODULE:FACTORY，"
                             "而不是 {model!r}"},
    "opt.needs_too": {"en": "{given} needs {missing} too: the live probes run the model on a "
                            "batch",
                      "zh": "{given} 还需要 {missing}：实时探针要在一个 batch 上运行模型"},
    "opt.session_needs": {"en": "the live probes need {missing} too (neither this command line "
                                "nor the session names it)",
                          "zh": "实时探针还需要 {missing}（命令行和会话文件里都没有给出）"},
    "opt.budget": {"en": "--probe-budget must be a positive number of seconds, not {budget!r}",
                   "zh": "--probe-budget 必须是正的秒数，而不是 {budget!r}"},
    "opt.answers_missing": {"en": "{path}: no such answers file",
                            "zh": "{path}：没有这个答案文件"},
    "opt.format": {"en": "--format must be {allowed}, not {value!r}",
                   "zh": "--format 只能是 {allowed}，而不是 {value!r}"},
    "opt.json_format": {"en": "--json is --format json: it cannot go with --format {value!r}",
                        "zh": "--json 就是 --format json，不能与 --format {value!r} 同时使用"},
    "opt.save_exists": {"en": "{path} exists: give --force to overwrite it, or another "
                              "--save-session path",
                        "zh": "{path} 已存在：加 --force 覆盖它，或换一个 --save-session 路径"},
    "opt.save_unwritable": {"en": "{path}: the session cannot be saved there ({reason}): give "
                                  "--save-session a path in a folder you can write to",
                            "zh": "{path}：无法在这里保存会话（{reason}）：请给 --save-session "
                                  "一个你能写入的文件夹里的路径"},
    "opt.nothing": {"en": "nothing to diagnose: give --checkpoint, --log, --trace, "
                          "--model/--batch, --symptom, --answers, --set or --resume (or "
                          "--example to see a bundled broken run)",
                    "zh": "没有可诊断的东西：请给出 --checkpoint、--log、--trace、"
                          "--model/--batch、--symptom、--answers、--set 或 --resume"
                          "（或用 --example 看一个自带的出错训练）"},
    "opt.no_terminal": {"en": "the chat needs a terminal, and {stream} is not one; in scripts and "
                              "CI use `dldoctor diagnose … --no-input`",
                        "zh": "聊天界面需要终端，而 {stream} 不是终端；在脚本和 CI 中请用 "
                              "`dldoctor diagnose … --no-input`"},
    "opt.trust_session": {"en": "--trust-session only makes sense with --resume",
                          "zh": "--trust-session 只能和 --resume 一起用"},
    "or2": {"en": "{a} or {b}", "zh": "{a} 或 {b}"},
    "or3": {"en": "{a}, {b} or {c}", "zh": "{a}、{b} 或 {c}"},
    "opt.answers_yaml": {"en": "{problem} (--answers takes a YAML file of 'fact: value' lines, "
                               "such as 'optimizer.lr: 0.1')",
                         "zh": "答案文件有误：“{problem}”（--answers 需要每行“事实: 值”的 YAML "
                               "文件，例如 'optimizer.lr: 0.1'）"},
    "opt.unknown_fact": {"en": "unknown fact '{fact}' (see `dldoctor kb list --facts`)",
                         "zh": "没有名为 '{fact}' 的事实（见 `dldoctor kb list --facts`）"},
    "opt.fact_value": {"en": "{fact}: {problem}", "zh": "{fact}：{problem}"},
    "opt.answers_mapping": {"en": "{path}: an answers file is a mapping of fact: value",
                            "zh": "{path}：答案文件应是“事实: 值”的映射"},
    "opt.at_line": {"en": "{path}:{line}: {problem}", "zh": "{path}:{line}：{problem}"},
    "opt.not_a_choice": {"en": "'{symptom}' is not one of the choices",
                         "zh": "'{symptom}' 不是可选项之一"},
    "opt.unknown_symptom": {"en": "unknown symptom '{symptom}'",
                            "zh": "没有名为 '{symptom}' 的症状"},
    "opt.unknown_cause": {"en": "{option}: unknown cause '{cause}' (see `dldoctor kb list "
                                "--causes`)",
                          "zh": "{option}：没有名为 '{cause}' 的原因（见 `dldoctor kb list "
                                "--causes`）"},
    "opt.unknown_cause_close": {"en": "{option}: unknown cause '{cause}'; did you mean "
                                      "{close}? (see `dldoctor kb list --causes`)",
                                "zh": "{option}：没有名为 '{cause}' 的原因；是不是 {close}？"
                                      "（见 `dldoctor kb list --causes`）"},
    # ------------------------------------------------------------ session files
    "session.top_level": {"en": "{path}: not a dldoctor session (the top level is {kind}, not an "
                                "object)",
                          "zh": "{path}：不是 dldoctor 会话文件（顶层是 {kind}，不是对象）"},
    "session.schema": {"en": "{path}: not a dldoctor session (schema {schema!r}, expected "
                             "'dldoctor.session/1')",
                       "zh": "{path}：不是 dldoctor 会话文件（schema 为 {schema!r}，应为 "
                             "'dldoctor.session/1'）"},
    "session.depth": {"en": "{path}: nested more than {n} levels deep; not a session file",
                      "zh": "{path}：嵌套超过 {n} 层；不是会话文件"},
    "session.field": {"en": "{path}: field {field}: {problem}",
                      "zh": "{path}：字段 {field}：“{problem}”"},
    "session.missing": {"en": "no such session file", "zh": "没有这个会话文件"},
    "session.too_deep": {"en": "{path}: nested too deeply; not a session file",
                         "zh": "{path}：嵌套太深；不是会话文件"},
    "session.unreadable": {"en": "{path}: not a readable session file ({first})",
                           "zh": "{path}：无法读取这个会话文件（“{first}”）"},
    "session.answer_raw": {"en": "{path}: field answers[{i}].raw: {problem}",
                           "zh": "{path}：字段 answers[{i}].raw：{problem}"},
    # ------------------------------------------------------------ reports, rules, traces, trials
    "report.missing": {"en": "{path}: no such report file", "zh": "{path}：没有这个报告文件"},
    "report.unreadable": {"en": "{path}: not a readable JSON report ({first})",
                          "zh": "{path}：无法读取这个 JSON 报告（“{first}”）"},
    "kb.toml": {"en": "{path}: not a valid TOML config ({reason})",
                "zh": "{path}：不是有效的 TOML 配置（“{reason}”）"},
    "kb.entries": {"en": "{path}: 'kb' must be a path or a list of paths",
                   "zh": "{path}：'kb' 必须是一个路径或路径列表"},
    "kb.missing": {"en": "{path}: knowledge-base path does not exist (from {origin})",
                   "zh": "{path}：知识库路径不存在（来自 {origin}）"},
    "kb.none": {"en": "no knowledge base: give --kb PATH", "zh": "没有知识库：请给出 --kb PATH"},
    "kb.lint_nothing": {"en": "{paths}: no rule files (*.yaml) here: give a rule file or a "
                              "folder that holds them",
                        "zh": "{paths}：这里没有规则文件（*.yaml）："
                              "请给出规则文件或存放它们的文件夹"},
    "kb.no_rules": {"en": "{paths}: no rule files found", "zh": "{paths}：没有找到规则文件"},
    "trace.missing": {"en": "{path}: no such trace file", "zh": "{path}：没有这个 trace 文件"},
    "trace.unreadable": {"en": "{path}: not a readable trace ({reason})",
                         "zh": "{path}：无法读取这个 trace（“{reason}”）"},
    "trace.not_json": {"en": "{path}:{line}: not a JSON line; a trace is written by "
                             "dldoctor.watch",
                       "zh": "{path}:{line}：这一行不是 JSON；trace 应由 dldoctor.watch 写出"},
    "trace.no_type": {"en": "{path}:{line}: a trace line is a JSON object with a 'type'",
                      "zh": "{path}:{line}：trace 的每一行应是带 'type' 的 JSON 对象"},
    "trace.no_start": {"en": "{path}:1: not a dldoctor trace (expected a start record with "
                             "schema {schema}); write one with dldoctor.watch",
                       "zh": "{path}:1：不是 dldoctor 的 trace（应以 schema 为 {schema} 的 "
                             "start 记录开头）；请用 dldoctor.watch 写一个"},
    "trace.needs_tensorboard": {
        "en": "exporting to TensorBoard needs the tensorboard package: pip install "
              "'dldoctor[tensorboard]'",
        "zh": "导出到 TensorBoard 需要 tensorboard 包：pip install 'dldoctor[tensorboard]'"},
    "trial.not_function": {"en": "--step {step}: {func!r} is not a function",
                           "zh": "--step {step}：{func!r} 不是函数"},
    "trial.needs": {"en": "trial needs --model FILE.py:FACTORY and --batch FILE",
                    "zh": "trial 需要 --model FILE.py:FACTORY 和 --batch FILE"},
    "trial.step": {"en": "--step {step}", "zh": "--step {step}"},
    "trial.standard": {"en": "the standard step", "zh": "标准训练步"},
    "trial.failed": {"en": "{where} failed: {kind}: {reason}",
                     "zh": "{where} 失败：{kind}：“{reason}”"},
    # ------------------------------------------------------------ notes on stderr (not errors)
    "note.example": {"en": "the bundled example: a 5-class MLP trained with SGD lr=0.5, "
                           "momentum 0.9 — checkpoint, log, model and batch in {path} — and a "
                           "person's description of it: \u201c{complaint}\u201d",
                     "zh": "内置示例：一个用 SGD lr=0.5、momentum 0.9 训练的 5 类 MLP——"
                           "checkpoint、日志、模型和 batch 在 {path}——以及一个人对它的描述："
                           "\u201c{complaint}\u201d"},
    "note.save_in_folder": {"en": "--save-session names a folder: the session is saved as "
                                  "{path}",
                            "zh": "--save-session 给的是文件夹：会话保存为 {path}"},
    "note.left_out": {"en": "{path}: {n} of its answers name facts or symptoms these rules do not "
                            "have ({keys}); they are left out",
                      "zh": "{path}：其中 {n} 个回答所指的事实或症状在当前规则里不存在（{keys}），"
                            "已略去"},
    "note.withheld_model": {"en": "{path} names the model {model!r}; it is not imported (it would "
                                  "run its code): pass --model again or --trust-session",
                            "zh": "{path} 指定了模型 {model!r}；没有导入它（导入会执行它的代码）："
                                  "请再给一次 --model，或加 --trust-session"},
    "note.question_heard": {
        "en": "“{text}” reads as a question, not as something you saw: a suspicion is no "
              "evidence, so it was not taken as a symptom (say what happened, or answer the "
              "questions below, and it is weighed)",
        "zh": "“{text}”读作一个疑问，而不是你观察到的现象：猜测不是证据，所以没有被当作症状（请说明"
              "发生了什么，或回答下面的问题，它才会被计入）"},
    "note.probe_failed": {"en": "probe {probe} failed: {error}",
                          "zh": "检查 {probe} 失败：{error}"},
    "report.answers_only": {
        "en": "nothing was measured and no symptom was described: only your answers were "
              "used; give a checkpoint (--checkpoint), a metrics log (--log) or a model and a "
              "batch (--model, --batch), or say what goes wrong (--symptom)",
        "zh": "没有测量任何东西，也没有描述症状：只用了你的回答；请给出 checkpoint"
              "（--checkpoint）、训练日志（--log）或模型和 batch（--model、--batch），"
              "或说明哪里出了问题（--symptom）"},
    "opt.bare_path": {"en": "; to examine {path}, name what it is: --checkpoint {path} (weights, "
                            "or a training run's folder) or --log {path} (a metrics log)",
                      "zh": "；要检查 {path}，请说明它是什么：--checkpoint {path}"
                            "（权重，或训练运行的文件夹）或 --log {path}（训练日志）"},
    "opt.nothing_examined": {
        "en": "nothing was examined{why}: give --checkpoint, --log, --model with --batch or "
              "--trace, or say what goes wrong in other words (`dldoctor kb list --symptoms` "
              "lists what is understood)",
        "zh": "什么都没有检查{why}：请给出 --checkpoint、--log、--model 和 --batch 或 --trace，"
              "或换个说法描述问题（`dldoctor kb list --symptoms` 列出能理解的症状）"},
    "opt.nothing_examined_asked": {"en": " (a yes/no question is a suspicion, not a symptom: say "
                                         "what happened)",
                                   "zh": "（是非问句是猜测，不是症状：请说明发生了什么）"},
    "opt.nothing_examined_why": {"en": " (no symptom matches {texts})",
                                 "zh": "（没有症状与 {texts} 相符）"},
    "note.log_found": {
        "en": "read the metrics log found with the checkpoint: {names} (give --log to read "
              "another)",
        "zh": "读取了与 checkpoint 放在一起的训练日志：{names}（如需读取别的日志，请用 --log "
              "指定）"},
    "note.log_beside": {
        "en": "no metrics log was read; {names} beside the checkpoint may be one: give it with "
              "--log {first} (a checkpoint alone has no loss curve to check)",
        "zh": "没有读取任何训练日志；checkpoint 旁边的 {names} 可能就是：请用 --log {first} 给出"
              "（只有 checkpoint 时没有 loss 曲线可查）"},
    "note.no_symptom": {"en": "no symptom matches {text!r}; see `dldoctor kb list --symptoms`",
                        "zh": "没有症状与 {text!r} 相符；见 `dldoctor kb list --symptoms`"},
    "note.no_symptom_near": {"en": "no symptom matches {text!r}; nearest: {near} (say it in "
                                   "those words, or see `dldoctor kb list --symptoms`)",
                             "zh": "没有症状与 {text!r} 相符；最接近的是：{near}"
                                   "（可以换成这些说法，或见 `dldoctor kb list --symptoms`）"},
    # ------------------------------------------------------------ values of facts
    "value.bool": {"en": "'{fact}' takes true or false, not {value!r}: write true or false "
                         "(in YAML 1.2 an unquoted yes/no is text, not a boolean)",
                   "zh": "'{fact}' 只接受 true 或 false，而不是 {value!r}：请写 true 或 false"
                         "（在 YAML 1.2 中不加引号的 yes/no 是文本而不是布尔值）"},
    "value.number": {"en": "'{fact}' is a number, not {value!r}",
                     "zh": "'{fact}' 应是数字，而不是 {value!r}"},
    "value.text": {"en": "'{fact}' is text, not {value!r}",
                   "zh": "'{fact}' 应是文本，而不是 {value!r}"},
    "value.series": {"en": "'{fact}' is a series of numbers", "zh": "'{fact}' 应是一串数字"},
    "value.finite": {"en": "'{fact}' needs a finite number, not {value}",
                     "zh": "'{fact}' 需要有限的数，而不是 {value}"},
    "value.range": {"en": "'{fact}' must be {bound}{upper}, not {value}",
                    "zh": "'{fact}' 必须{bound}{upper}，而不是 {value}"},
    "value.at_least": {"en": "at least {low}", "zh": "至少为 {low}"},
    "value.more_than": {"en": "more than {low}", "zh": "大于 {low}"},
    "value.at_most": {"en": " and at most {high}", "zh": "、至多为 {high}"},
    "value.enum": {"en": "'{fact}' is one of {values}, not {value!r}",
                   "zh": "'{fact}' 只能是 {values} 之一，而不是 {value!r}"},
    "value.whole": {"en": "'{fact}' is a whole number, not {value}",
                    "zh": "'{fact}' 应是整数，而不是 {value}"},
    "value.out_of_range": {"en": "'{fact}' is out of range", "zh": "'{fact}' 超出了范围"},
    "value.out_of_range_raw": {"en": "'{fact}' is out of range: {value!r}",
                               "zh": "'{fact}' 超出了范围：{value!r}"},
    "value.too_many": {"en": "'{fact}' has more than {n} values",
                       "zh": "'{fact}' 的值超过了 {n} 个"},
    "value.short": {"en": "'{fact}' needs a short answer, not {n} characters",
                    "zh": "'{fact}' 需要简短的回答，而不是 {n} 个字符"},
    "value.yes_no": {"en": "answer yes or no (or ? for don't know), not {value!r}",
                     "zh": "请回答是或否（不知道就答 ?），而不是 {value!r}"},
    "value.number_like": {"en": "'{fact}' needs a number such as 0.001 or 1e-3, not {value!r}",
                          "zh": "'{fact}' 需要一个数，如 0.001 或 1e-3，而不是 {value!r}"},
    "value.choose": {"en": "choose one of {values}, not {value!r}",
                     "zh": "请从 {values} 中选一个，而不是 {value!r}"},
    "value.long_series": {"en": "'{fact}' is too long a series", "zh": "'{fact}' 这串数字太长了"},
    "value.commas": {"en": "'{fact}' needs numbers separated by commas",
                     "zh": "'{fact}' 需要用逗号分隔的数字"},
}


def _render(key: str, values: dict[str, Any], lang: str) -> str:
    templates = ERRORS[key]
    template = templates.get(lang) or templates["en"]
    return template.format(**{name: in_lang(v, lang) for name, v in values.items()})


class KeyedText(str):
    """A message in English that remembers its message key and values, so that it can be said
    again in another language (errors here, evidence in ``probes.evidence``); a subclass names
    its ``render(key, values, lang)``."""

    key: str
    values: dict[str, Any]

    @staticmethod
    def render(key: str, values: dict[str, Any], lang: str) -> str:
        raise NotImplementedError

    def __new__(cls, key: str, values: dict[str, Any]) -> Self:
        self = super().__new__(cls, cls.render(key, values, "en"))
        self.key, self.values = key, values
        return self

    def in_lang(self, lang: str) -> str:
        """The message in ``lang`` (English where it has no translation)."""
        return self.render(self.key, self.values, lang)

    def __reduce__(self) -> tuple[type[KeyedText], tuple[str, dict[str, Any]]]:
        # copied or pickled across processes, it is rebuilt from its key and values
        return (type(self), (self.key, self.values))


class ErrorText(KeyedText):
    """An English error message that remembers its message key and values."""

    render = staticmethod(_render)


def err(key: str, **values: Any) -> ErrorText:
    """Error message ``key`` with ``values``."""
    return ErrorText(key, values)


def in_lang(text: Any, lang: str) -> Any:
    """``text`` in ``lang`` when it is an :class:`ErrorText` (or carries one); else as is."""
    if isinstance(text, ErrorText):
        return text.in_lang(lang)
    message = getattr(text, "message", None)  # an error raised with an ErrorText
    if isinstance(text, BaseException) and isinstance(message, ErrorText):
        return message.in_lang(lang)
    return text


_LANG = {"now": "en"}


def set_lang(lang: str) -> str:
    """Remember the language the command line asked for (``--lang``); return it unchanged."""
    if lang in ("en", "zh"):
        _LANG["now"] = lang
    return lang


def current_lang() -> str:
    """The language errors are printed in: ``--lang`` once parsed, else English."""
    return _LANG["now"]
