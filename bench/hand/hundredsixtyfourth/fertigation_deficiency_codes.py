"""Hydroponic lettuce, fertigation log: an MLP (10 → 64 → 64 → 4, BatchNorm-free, dropout 0.1)
names the nutrient deficiency of a gutter from the day's readings (EC in/out, pH in/out, drain
fraction, water temperature, leaf SPAD, leaf-tip burn score, interveinal yellowing score, new
leaf length). Deficiency codes as the agronomist's spreadsheet numbers them: 0 none, 1 N,
2 K, 3 Ca. Adam 1e-3, batch 64, per-epoch checkpoints ``fert_mlp_e{epoch}.pt``, a JSON-lines log
(``train.jsonl``: one line every 10 steps and one per epoch); validation on the other greenhouse's
sheet every 2 epochs (it is the slow part of the script on the real data).

The bug: the validation sheet (a later season) carries a code the training sheet never has:
4, magnesium deficiency, added by the agronomist that season (6 % of the rows). The head has 4
outputs, ``n_classes = len(train_codes.unique())``; nothing checks the validation codes. Epochs 1
and 2 train normally (epoch-1 loss 1.257, step 60 loss 0.656); the first validation pass,
after epoch 2, raises ``IndexError: Target 4 is out of bounds.`` in ``F.cross_entropy``: the
last files are ``fert_mlp_e2.pt`` and the log through step 60 (the epoch-2 line is never
written). Control (validation sheet without code 4): val accuracy 0.88 at epoch 6, 0.89 at
epoch 8, val loss 0.309, train loss 0.270."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURES = ["ec_in", "ec_out", "ph_in", "ph_out", "drain_frac", "water_temp", "spad",
            "tipburn", "yellowing", "leaf_len"]


def sheet(n, g, codes):
    y = torch.tensor(codes)[torch.randint(0, len(codes), (n,), generator=g)]
    x = torch.randn(n, 10, generator=g) * 0.6
    sig = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                        [-1.2, -1.0, 0, 0.3, 0, 0, -1.5, 0, 0.8, -1.0],   # N: low EC, pale, short
                        [0, 0.4, 0, 0, 0, 0, -0.3, 1.4, 0, -0.4],         # K: tip burn
                        [0, 0, 0.5, 0.6, -0.8, 0.9, 0, 1.2, 0, -1.2],     # Ca: burn, warm, low drain
                        [0, 0, 0, 0, 0, 0, -0.6, 0, 1.6, 0]])             # Mg: interveinal yellow
    return x + sig[y], y


class FertMLP(nn.Module):
    def __init__(self, n_in=10, n_classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, 64), nn.ReLU(), nn.Dropout(0.1),
                                 nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, n_classes))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return FertMLP()


def main():
    from _hundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sheet(2048, g, [0, 0, 1, 2, 3])
    # the other greenhouse, a later season: code 4 (Mg) is new
    xva, yva = sheet(600, g, [0, 0, 1, 2, 3] * 3 + [4])
    n_classes = len(ytr.unique())
    model = build()
    assert model.net[-1].out_features == n_classes
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    torch.manual_seed(1)
    log = open(out / "train.jsonl", "w")
    step = 0
    try:
        for epoch in range(1, 9):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "loss": round(loss.item(), 4)}) + "\n")
            rec = {"step": step, "epoch": epoch, "epoch_loss": round(tot / len(xtr), 4)}
            torch.save({"epoch": epoch, "global_step": step, "model": model.state_dict(),
                        "optim": opt.state_dict(), "features": FEATURES},
                       out / f"fert_mlp_e{epoch}.pt")
            if epoch % 2 == 0:
                model.eval()
                with torch.no_grad():
                    logits = model(xva)
                    rec["val_loss"] = round(F.cross_entropy(logits, yva).item(), 4)
                    rec["val_acc"] = round((logits.argmax(1) == yva).float().mean().item(), 4)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(rec)
    finally:
        log.close()
        last = max(out.glob("fert_mlp_e*.pt"), key=lambda p: int(p.stem.split("_e")[-1]))
        finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
               checkpoint=last.name, log="train.jsonl",
               what="fertigation deficiency MLP: validation sheet carries code 4 (Mg), absent "
                    "from training, 4-output head; crash at the first validation (epoch 2)",
               complaint=("训练营养缺乏分类的 MLP，第 2 个 epoch 结束、第一次跑验证的时候直接崩了："
                          "IndexError: Target 4 is out of bounds. 训练集上 loss 从 1.257 降到 "
                          "0.656 都很正常，只有验证集那一步报错。最后保存的是 fert_mlp_e2.pt。"))


if __name__ == "__main__":
    main()
