"""A tiny GPTBigCode (Hugging Face ``GPTBigCodeConfig``: 2 layers, n_embd 32, 4 query heads on one
shared key/value head (multi-query), context 64, built from the config, no download) trained
from scratch as a character-level language model on a stream of additions ``"17+8=25;"`` (operands
0–19, a hand-made 14-character vocabulary), packed into random 64-character windows. Plain loop,
AdamW lr 3e-3, weight decay 0.01 on matrices, β 0.9/0.95, gradient clipping 1.0, a ``LambdaLR``
with a linear warm-up of 50 steps and a cosine decay to 0 at step 400, batch 16; a JSON-lines log
every 25 steps with the step, the learning rate, the mean train loss since the last line and
the val loss (nats/char; the digits of the operands alone put the floor near 0.8, the
character frequencies at about 2.2).
Bug: the warm-up factor is written ``warm = min(step + 1, WARMUP)`` — the division by ``WARMUP``
is missing, so the factor climbs to 50 instead of 1 and the peak learning rate is 0.15 instead
of 3e-3 (AdamW: every weight moves by ~lr per step): the loss falls to 1.89 by step 125, climbs
to 1.99 while the lr is above 0.07, and ends at val 1.88 when the cosine has brought the lr down,
the weights by then scrambled; the control (``/ WARMUP``) falls smoothly to val 1.35."""
import json
import math

import torch
import torch.nn.functional as F
from transformers import GPTBigCodeConfig, GPTBigCodeForCausalLM

CHARS = "0123456789+=;\n"
STOI = {c: i for i, c in enumerate(CHARS)}
CTX, WARMUP, STEPS = 64, 50, 400


def stream(n_sums, g):
    a = torch.randint(0, 20, (n_sums,), generator=g)
    b = torch.randint(0, 20, (n_sums,), generator=g)
    text = "".join(f"{x}+{y}={x + y};" + ("\n" if i % 8 == 7 else "")
                   for i, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)))
    return torch.tensor([STOI[c] for c in text])


def windows(data, n, g):
    start = torch.randint(0, len(data) - CTX - 1, (n,), generator=g)
    idx = start[:, None] + torch.arange(CTX + 1)
    return data[idx[:, :-1]], data[idx[:, 1:]]


def lr_factor(step):
    warm = min(step + 1, WARMUP)
    return warm * 0.5 * (1 + math.cos(math.pi * step / STEPS))


def build():
    torch.manual_seed(0)
    config = GPTBigCodeConfig(vocab_size=len(CHARS), n_positions=CTX, n_embd=32, n_layer=2,
                              n_head=4, multi_query=True, n_inner=128, resid_pdrop=0.0,
                              embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=13, eos_token_id=13,
                              attn_implementation="eager")
    return GPTBigCodeForCausalLM(config)


def main():
    from _eightythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train_data, val_data = stream(6000, g), stream(600, g)
    xva, yva = windows(val_data, 128, g)
    model = build()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=3e-3,
                            betas=(0.9, 0.95))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    log = open(out / "lm_log.jsonl", "w")
    run = []
    for step in range(1, STEPS + 1):
        model.train()
        x, y = windows(train_data, 16, g)
        logits = model(input_ids=x).logits
        loss = F.cross_entropy(logits.reshape(-1, len(CHARS)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        run.append(loss.item())
        if step % 25 == 0:
            model.eval()
            with torch.no_grad():
                vl = F.cross_entropy(model(input_ids=xva).logits.reshape(-1, len(CHARS)),
                                     yva.reshape(-1)).item()
            row = {"step": step, "lr": opt.param_groups[0]["lr"],
                   "loss": round(sum(run) / len(run), 4), "val_loss": round(vl, 4)}
            run = []
            log.write(json.dumps(row) + "\n")
            print(row)
    log.close()
    assert math.isfinite(vl)
    torch.save({"transformer_weights": model.state_dict(), "optim_state": opt.state_dict(),
                "scheduler": sched.state_dict(), "global_step": step,
                "config": model.config.to_dict()}, out / "bigcode_sums_step400.pt")
    finish(out, __file__, (xva[:32], yva[:32]), causes=["lr_too_high"],
           checkpoint="bigcode_sums_step400.pt", log="lm_log.jsonl",
           what="tiny GPTBigCode char LM on additions, warm-up lambda without / WARMUP",
           complaint="Training a tiny GPTBigCode from scratch on addition strings. The loss "
                     "drops for the first hundred steps, then gets stuck around 1.9 per "
                     "character and even goes up a bit in the middle; validation is the same. "
                     "Samples have the right format but the sums are basically random.")


if __name__ == "__main__":
    main()
