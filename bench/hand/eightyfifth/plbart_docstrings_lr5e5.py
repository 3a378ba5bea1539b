"""Hugging Face PLBart trained from scratch in a plain PyTorch loop (``PLBartConfig``: d_model 48,
1 encoder and 1 decoder layer, 4 heads, FFN 96, built from the config, no download) to write a
one-line summary of a tiny Python function: the source is ``def NAME ( a , b ) : return EXPR``
with 8 operations (``a + b``, ``a - b``, ``a * b``, ``max ( a , b )``, ``min ( a , b )``,
``len ( a )``, ``sorted ( a )``, ``a [ b ]``) over 12 argument names and 10 function names; the
target is a template such as ``return the sum of x and y`` / ``return a sorted copy of items``
(it names the arguments, so the model must copy them). Word-level vocabulary of 53, source
padded to 16 with an attention mask, labels padded with −100. AdamW, weight decay 0.01, 20
warm-up steps then constant, batch 32, 400 steps of 1400 training functions; every 50 steps a
JSON line with the mean train loss, the val loss and the val token accuracy (teacher forced).
Bug: ``lr=5e-5`` — the rate of the PLBart fine-tuning recipe the author started from, kept when
switching to training a randomly initialised model from scratch. The loss creeps down in a
straight line (train 3.14, val 3.09, val token accuracy 0.33 at step 400) while the control (lr
3e-3) is at val loss 0.16, token accuracy 0.97."""
import json

import torch
from transformers import PLBartConfig, PLBartForConditionalGeneration

ARGS = ["a", "b", "x", "y", "n", "m", "items", "key", "left", "right", "value", "other"]
NAMES = ["f", "g", "calc", "helper", "combine", "pick", "do_it", "op", "apply", "fn"]
OPS = [("+", "return the sum of {0} and {1}"), ("-", "return {0} minus {1}"),
       ("*", "return the product of {0} and {1}"), ("max", "return the larger of {0} and {1}"),
       ("min", "return the smaller of {0} and {1}"), ("len", "return the length of {0}"),
       ("sorted", "return a sorted copy of {0}"), ("[]", "return the item of {0} at {1}")]
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>"]
WORDS = sorted({w for _, t in OPS for w in t.split() if "{" not in w}
               | {"def", "(", ")", ",", ":", "return", "+", "-", "*", "max", "min", "len",
                  "sorted", "[", "]"} | set(ARGS) | set(NAMES))
VOCAB = SPECIAL + WORDS
IDX = {w: i for i, w in enumerate(VOCAB)}
SRC_LEN, TGT_LEN = 16, 10


def functions(n, g):
    src = torch.zeros(n, SRC_LEN, dtype=torch.long)
    tgt = torch.full((n, TGT_LEN), -100, dtype=torch.long)
    for i in range(n):
        op = int(torch.randint(0, len(OPS), (1,), generator=g))
        a, b = [ARGS[int(j)] for j in torch.randperm(len(ARGS), generator=g)[:2]]
        name = NAMES[int(torch.randint(0, len(NAMES), (1,), generator=g))]
        sym, template = OPS[op]
        if sym in "+-*":
            expr = [a, sym, b]
        elif sym in ("max", "min"):
            expr = [sym, "(", a, ",", b, ")"]
        elif sym in ("len", "sorted"):
            expr = [sym, "(", a, ")"]
        else:
            expr = [a, "[", b, "]"]
        params = [a] if sym in ("len", "sorted") else [a, ",", b]
        words = ["def", name, "("] + params + [")", ":", "return"] + expr + ["</s>"]
        src[i, :len(words)] = torch.tensor([IDX[w] for w in words])
        out = template.format(a, b).split() + ["</s>"]
        tgt[i, :len(out)] = torch.tensor([IDX[w] for w in out])
    return src, (src != 0).long(), tgt


def build():
    torch.manual_seed(0)
    config = PLBartConfig(vocab_size=len(VOCAB), d_model=48, encoder_layers=1, decoder_layers=1,
                          encoder_attention_heads=4, decoder_attention_heads=4,
                          encoder_ffn_dim=96, decoder_ffn_dim=96, max_position_embeddings=32,
                          pad_token_id=0, bos_token_id=1, eos_token_id=2,
                          decoder_start_token_id=2, dropout=0.1, scale_embedding=True)
    return PLBartForConditionalGeneration(config)


def main():
    from _eightyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    src, mask, tgt = functions(2000, g)
    tr, va = slice(0, 1400), slice(1400, 2000)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20))
    log = open(out / "train_log.jsonl", "w")
    step, run = 0, []
    while step < 400:
        for idx in torch.randperm(1400, generator=g).split(32):
            model.train()
            loss = model(input_ids=src[tr][idx], attention_mask=mask[tr][idx],
                         labels=tgt[tr][idx]).loss
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            run.append(loss.item())
            if step % 50 == 0:
                model.eval()
                with torch.no_grad():
                    o = model(input_ids=src[va], attention_mask=mask[va], labels=tgt[va])
                known = tgt[va] != -100
                acc = (o.logits.argmax(-1) == tgt[va])[known].float().mean().item()
                row = {"step": step, "loss": round(sum(run) / len(run), 4),
                       "valid_loss": round(o.loss.item(), 4), "valid_token_acc": round(acc, 4),
                       "lr": opt.param_groups[0]["lr"]}
                log.write(json.dumps(row) + "\n")
                print(row)
                run = []
            if step == 400:
                break
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "global_step": step,
                "config": model.config.to_dict()}, out / "plbart_step400.bin")
    finish(out, __file__, {"inputs": src[va][:64], "attention_mask": mask[va][:64],
                           "targets": tgt[va][:64]},
           causes=["lr_too_low"], checkpoint="plbart_step400.bin", log="train_log.jsonl",
           what="PLBart from scratch at the fine-tuning recipe's lr 5e-5",
           complaint="Training a small PLBart to summarise toy functions: after 400 steps the "
                     "summaries are still mostly the same generic words, the loss is going down "
                     "but painfully slowly. Is the model too small for this?")


if __name__ == "__main__":
    main()
