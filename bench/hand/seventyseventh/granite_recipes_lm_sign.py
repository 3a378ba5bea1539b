"""A tiny IBM Granite causal LM (``GraniteConfig``: hidden 48, 2 layers, 4 query heads on 2
key/value heads, Granite's embedding / residual / attention / logit multipliers at their
defaults, built from the config, no download) trained from scratch in a plain loop on synthetic
recipe steps: "<bos> add 2 cup flour ; whisk 3 min ; bake 20 min at 180 ; ..." from a small
grammar (the unit follows the ingredient, the verb the ingredient type, temperatures only after
"bake"), 36-token word vocabulary, sequences of 32. AdamW 2e-3, batch 32, 200 steps; the loss is
written by hand with label smoothing 0.1; every 25 steps a CSV row with the mean train loss of
the last 25 steps and the val NLL / perplexity from the model's own ``labels=`` loss.
Bug: the hand-written smoothed loss is built from the gathered log-probabilities, named ``nll``
as if already negated, and the minus sign is never applied: ``loss = ((1 - EPS) * nll + EPS *
smooth).mean()`` with ``nll = logp.gather(...)``. Minimising it maximises the likelihood of
nothing in particular: it drives the log-probability of every target token towards −∞, so the
logged train loss falls without bound (−4.9 after 25 steps, −51.8 at step 200) while the val NLL
climbs from 6.7 to 58.2, far above ln 36 = 3.58."""
import csv
import math

import torch
import torch.nn.functional as F
from transformers import GraniteConfig, GraniteForCausalLM

WORDS = ("<pad> <bos> ; add whisk stir fold bake chill cup tbsp g min at flour sugar milk egg "
         "butter salt yeast cream 1 2 3 4 5 10 20 30 160 180 200 until smooth golden set").split()
V, LEN, EPS = len(WORDS), 32, 0.1
IDX = {w: i for i, w in enumerate(WORDS)}


def recipe(g):
    def pick(xs):
        return xs[int(torch.randint(0, len(xs), (1,), generator=g))]
    toks = ["<bos>"]
    while len(toks) < LEN + 1:
        r = float(torch.rand(1, generator=g))
        if r < 0.45:
            ing = pick(["flour", "sugar", "milk", "egg", "butter", "salt", "yeast", "cream"])
            unit = {"flour": "cup", "sugar": "cup", "milk": "cup", "egg": None, "butter": "g",
                    "salt": "tbsp", "yeast": "tbsp", "cream": "cup"}[ing]
            step = ["add", pick(["1", "2", "3", "4", "5"])] + ([unit] if unit else []) + [ing]
        elif r < 0.7:
            step = [pick(["whisk", "stir", "fold"]), pick(["1", "2", "3", "5", "10"]), "min"]
            if float(torch.rand(1, generator=g)) < 0.5:
                step += ["until", "smooth"]
        elif r < 0.88:
            step = ["bake", pick(["10", "20", "30"]), "min", "at", pick(["160", "180", "200"])]
            if float(torch.rand(1, generator=g)) < 0.4:
                step += ["until", "golden"]
        else:
            step = ["chill", pick(["10", "20", "30"]), "min", "until", "set"]
        toks += step + [";"]
    return [IDX[w] for w in toks[:LEN]]


def build():
    torch.manual_seed(0)
    config = GraniteConfig(vocab_size=V, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           max_position_embeddings=LEN, pad_token_id=0, bos_token_id=1,
                           eos_token_id=2, tie_word_embeddings=True,
                           attn_implementation="eager")
    return GraniteForCausalLM(config)


def smoothed_loss(logits, ids):
    logp = F.log_softmax(logits[:, :-1].float(), -1)
    nll = logp.gather(-1, ids[:, 1:, None]).squeeze(-1)
    smooth = logp.mean(-1)
    return ((1 - EPS) * nll + EPS * smooth).mean()


def main():
    from _seventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    data = torch.tensor([recipe(g) for _ in range(1600)])
    train, val = data[:1344], data[1344:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    f = open(out / "granite_lm.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "train_loss", "val_nll", "val_ppl"])
    run = 0.0
    for step in range(1, 201):
        model.train()
        ids = train[torch.randint(0, len(train), (32,), generator=g)]
        loss = smoothed_loss(model(input_ids=ids).logits, ids)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run += loss.item()
        if step % 25 == 0:
            model.eval()
            with torch.no_grad():
                vn = model(input_ids=val, labels=val).loss.item()
            w.writerow([step, f"{run / 25:.4f}", f"{vn:.4f}", f"{math.exp(min(vn, 50)):.2f}"])
            print(step, run / 25, vn)
            run = 0.0
    f.close()
    torch.save({"granite": model.state_dict(), "adamw": opt.state_dict(), "global_step": 200,
                "vocab": WORDS}, out / "granite_step200.pt")
    finish(out, __file__, (val[:64], val[:64]), causes=["loss_sign_error"],
           checkpoint="granite_step200.pt", log="granite_lm.csv",
           what="tiny Granite LM, hand-written label-smoothed loss without its minus sign",
           complaint="自己从零训练的小 Granite 语言模型：训练 loss 一路往下降，很快就变成负数，"
                     "还在继续变小；可是验证集的 NLL 和困惑度越来越大，采样出来的菜谱全是乱码。")


if __name__ == "__main__":
    main()
