"""Plain torch: an autoencoder compresses the reflectance spectra of raku-fired glaze tiles
(48 wavelength bins, 400-700 nm) to a 4-number code for a studio's glaze catalogue. A spectrum
is a mix of four pigment curves (copper, iron, cobalt, white crackle base) whose amounts follow
the recipe, dimmed by how strong the post-firing reduction was (smoke), plus sensor noise.
MLP 48-64-4-64-48 with Tanh, MSE; Adam lr 2e-3, batch 64, 30 epochs of 1536 tiles; one JSON
line per epoch (train and val MSE).
The bug: ``weight_decay=0.1`` in Adam ("a little weight decay so the codes stay small" — meant
1e-4). Adam's coupled L2 pulls every weight to 0 at that strength: the decoder settles on the
mean spectrum plus a little: train MSE 0.140 at epoch 5 and 0.140 at epoch 30, val MSE 0.14-0.15
all along (0.144 at the end; the val spectra's variance per bin is 0.37).
Control (``weight_decay=1e-4``, one-line sed): val MSE 0.018 at epoch 5, 0.0068 at 10, 0.0039
at 30 (37x lower)."""
import json

import torch
import torch.nn as nn

B = 48


def tiles(n, g):
    wl = torch.linspace(0, 1, B)
    curves = torch.stack([torch.exp(-((wl - 0.45) / 0.12) ** 2),        # copper green
                          torch.sigmoid((wl - 0.6) / 0.05),               # iron red-brown
                          torch.exp(-((wl - 0.2) / 0.08) ** 2),           # cobalt blue
                          0.6 + 0.2 * wl])                                # crackle base
    amt = torch.rand(n, 4, generator=g) * torch.tensor([1.0, 0.8, 0.7, 1.0])
    smoke = 0.4 + 0.6 * torch.rand(n, 1, generator=g)
    x = smoke * (amt @ curves) + 0.02 * torch.randn(n, B, generator=g)
    return (x - 0.8) / 0.4


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(B, 64), nn.Tanh(), nn.Linear(64, 4), nn.Linear(4, 64),
                         nn.Tanh(), nn.Linear(64, B))


def main():
    from _twohundredtwelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = tiles(1792, g)
    xtr, xva = x[:1536], x[1536:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr), batch_size=64,
                                        shuffle=True)
    model = build()
    # a little weight decay so the codes stay small
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=0.1)
    mse = nn.MSELoss()
    lines = []
    print("variance of val spectra", xva.var(0).sum().item() / B)
    for epoch in range(30):
        model.train()
        tot = 0.0
        for (xb,) in train:
            loss = mse(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        model.eval()
        with torch.no_grad():
            vl = mse(model(xva), xva).item()
        rec = {"epoch": epoch + 1, "train_mse": round(tot / len(xtr), 5), "val_mse": round(vl, 5)}
        lines.append(json.dumps(rec))
        if epoch % 5 == 4:
            print(rec)
    (out / "ae_log.jsonl").write_text("\n".join(lines) + "\n")
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 30},
               out / "glaze_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["over_regularization"],
           checkpoint="glaze_ae.pt", log="ae_log.jsonl",
           what="raku glaze spectrum autoencoder, Adam weight_decay=0.1",
           complaint=("乐烧釉面反射光谱的自编码器（48 个波段压缩成 4 维）：训练了 30 个 epoch，"
                      "训练 MSE 从第 5 个 epoch 起就一直停在 0.14 左右，验证 MSE 在 0.14 到 0.15 "
                      "之间来回晃，完全降不下去。重建出来的光谱很平很模糊，铜绿和钴蓝的峰都看"
                      "不出来。Adam lr 2e-3，batch 64。是 4 维的瓶颈太小了吗？"))


if __name__ == "__main__":
    main()
