"""Plain torch: an MLP unmixes a drone's 24-band reflectance spectrum (450–900 nm) of a 1 m²
bog quadrat into the cover fractions of five surfaces: three moss types (red Sphagnum, green
Sphagnum, feather moss), wet peat and open water. Each surface has its own spectrum (the red
bog moss' anthocyanin dip, the chlorophyll red edge of the green mosses, dark flat peat, water
absorbing in the near infrared); a quadrat's spectrum is the cover-weighted mix, with a
moisture darkening, a brightness change from the sun angle and sensor noise. Covers are drawn
from a Dirichlet(0.8) (a few surfaces dominate each quadrat). Standardised bands,
Linear(24→64)-ReLU-Linear(64→64)-ReLU-Linear(64→5), softmax cover; ``nn.KLDivLoss``-style
``F.kl_div(..., reduction="batchmean")`` (``cover_loss``) against the true covers; Adam 2e-3, batch 32, 25
epochs of 1024 quadrats. A CSV per epoch (``epoch``, ``kl``, ``val_kl``, ``val_mae_pct``: mean
absolute cover error in percentage points); checkpoint ``state_dict`` / ``optimizer`` /
``epoch``.
The bug: ``cover_loss`` passes the model's cover to ``F.kl_div`` as ``logits.softmax(1)``
(probabilities, as in the ``pred_cover`` the script reports) where ``kl_div`` wants log-probabilities. The
"loss" becomes −Σ cover·p plus a constant, which is minimised by putting all the cover on the
dominant surface. The logged KL is negative from the first epoch and keeps falling (train
−1.47 → −1.68, val −1.56 → −1.673), while the cover error grows: val MAE 14.3 percentage points
after epoch 1, 19.2 at 5, 20.5–20.8 from epoch 10 (20.7 at 25). Control (``log_softmax``):
train KL 0.273 → 0.107, val KL 0.194 → 0.14, val MAE 9.4 → 7.3–7.6 points (7.5 at 25)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BANDS = torch.linspace(450, 900, 24)


def endmembers():
    w = BANDS
    edge = torch.sigmoid((w - 715) / 12)
    red = 0.06 + 0.05 * torch.sigmoid((w - 620) / 15) + 0.35 * edge
    green = 0.05 + 0.06 * torch.exp(-((w - 550) / 30) ** 2) + 0.45 * edge
    feather = 0.08 + 0.05 * torch.exp(-((w - 560) / 40) ** 2) + 0.30 * edge \
        - 0.03 * torch.exp(-((w - 680) / 20) ** 2)
    peat = 0.04 + 0.06 * (w - 450) / 450
    water = 0.05 * torch.exp(-((w - 480) / 60) ** 2) + 0.01
    return torch.stack([red, green, feather, peat, water])  # (5, 24)


def quadrats(n, g):
    gam = torch._standard_gamma(torch.full((n, 5), 0.8), generator=g)
    cover = gam / gam.sum(1, keepdim=True)
    spec = cover @ endmembers()
    wet = 1 - 0.3 * torch.rand(n, 1, generator=g)
    sun = 0.8 + 0.4 * torch.rand(n, 1, generator=g)
    x = spec * wet * sun + 0.01 * torch.randn(n, 24, generator=g)
    return x, cover


def cover_loss(logits, cover):
    return F.kl_div(logits.softmax(1), cover, reduction="batchmean")


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5))


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, c = quadrats(1024 + 256, g)
    x = (x - x[:1024].mean(0)) / x[:1024].std(0)
    xtr, ctr, xva, cva = x[:1024], c[:1024], x[1024:], c[1024:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    rows = ["epoch,kl,val_kl,val_mae_pct"]
    for epoch in range(25):
        model.train()
        perm = torch.randperm(1024, generator=g)
        total = 0.0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            loss = cover_loss(model(xtr[idx]), ctr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vk = cover_loss(logits, cva).item()
            pred_cover = logits.softmax(1)
            mae = (pred_cover - cva).abs().mean().item() * 100
        rows.append(f"{epoch},{total / 32:.4f},{vk:.4f},{mae:.2f}")
        print(rows[-1])
    (out / "moss_cover.csv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25},
               out / "moss_cover.pt")
    finish(out, __file__, (xva[:64], cva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="moss_cover.pt", log="moss_cover.csv",
           what="MLP unmixing bog-quadrat spectra into moss cover fractions, trained with"
                " F.kl_div on probabilities",
           complaint=("我们用无人机 24 个波段的反射光谱估计泥炭地样方里三种藓类、泥炭和水面"
                      "的覆盖比例，损失用的是 KL 散度。奇怪的是训练损失从第一个 epoch 起就是负数"
                      "（-1.47），而且一直往下降到 -1.68，验证集也是 -1.56 到 -1.67；可是覆盖度"
                      "的平均绝对误差反而越来越大：第 1 个 epoch 是 14.3 个百分点，25 个 epoch "
                      "后变成 20.7。KL 散度不是应该不小于 0 吗？模型到底在学什么？"))


if __name__ == "__main__":
    main()
