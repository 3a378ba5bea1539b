"""Plain torch: a sailmaker's autoencoder compresses the flying shape of a mainsail section,
measured by a photo-scan at 32 chord stations (camber height over chord, luff to leech), into
6 numbers for the design database. A section is a smooth camber curve set by its depth (7–15 %
of chord), draft position (35–50 %), entry and exit angle, a leech twist hook and a slight
luff bubble, plus scan noise. Encoder 32-64-6 (ReLU), decoder 6-64-32 (ReLU); Adam with two
parameter groups (encoder 2e-3, decoder 1e-3), batch 32, 30 epochs of 1024 sections; MSE on
the profile scaled ×10. Log: CSV per step (``step``, ``epoch``, ``recon_loss``) with
``val_recon_loss`` filled at each epoch's last step; checkpoint ``model`` / ``optim`` /
``step`` / ``epoch``.
The bug: the script prints the decoder's parameter count from ``dec_params =
model.decoder.parameters()`` before building the optimizer from the same ``dec_params``; the
count used up the generator, so the decoder's parameter group is empty and the decoder keeps
its random initial weights for the whole run. The reconstruction loss is 0.71 on the second batch and
still 0.50–0.78 per batch after 960 steps; val reconstruction 0.6064 after epoch 1, 0.6046 at
30: more than sixteen times the profiles' own variance around the mean section (0.036).
Control (``dec_params = list(model.decoder.parameters())``): val reconstruction 0.073 after
epoch 1, 0.0059 at 5, 0.0011 at 30."""
import torch
import torch.nn as nn

K = 32


def sections(n, g):
    s = torch.linspace(0, 1, K)
    depth = 0.07 + 0.08 * torch.rand(n, 1, generator=g)
    draft = 0.35 + 0.15 * torch.rand(n, 1, generator=g)
    entry = 0.6 + 0.8 * torch.rand(n, 1, generator=g)
    hook = 0.02 * torch.randn(n, 1, generator=g)
    bubble = 0.01 * torch.rand(n, 1, generator=g)
    left = (s / draft).clamp(max=1)
    right = ((1 - s) / (1 - draft)).clamp(max=1)
    z = depth * torch.where(s < draft, 1 - (1 - left) ** (1 + entry), 1 - (1 - right) ** 2)
    z = z + hook * s ** 6 + bubble * torch.exp(-((s - 0.08) ** 2) / 0.002)
    return (z + 0.002 * torch.randn(n, K, generator=g)) * 10


class CamberAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(K, 64), nn.ReLU(), nn.Linear(64, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, K))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return CamberAE()


def main():
    from _hundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    z = sections(1280, g)
    ztr, zva = z[:1024], z[1024:]
    loader = torch.utils.data.DataLoader(ztr, batch_size=32, shuffle=True,
                                         generator=torch.Generator().manual_seed(1))
    model = build()
    enc_params = list(model.encoder.parameters())
    dec_params = model.decoder.parameters()
    print("encoder params", sum(p.numel() for p in enc_params),
          "decoder params", sum(p.numel() for p in dec_params))
    optim = torch.optim.Adam([{"params": enc_params, "lr": 2e-3},
                              {"params": dec_params, "lr": 1e-3}])
    mse = nn.MSELoss()
    rows = ["step,epoch,recon_loss,val_recon_loss"]
    step = 0
    for epoch in range(30):
        model.train()
        for i, zb in enumerate(loader):
            loss = mse(model(zb), zb)
            optim.zero_grad()
            loss.backward()
            optim.step()
            step += 1
            val = ""
            if i == len(loader) - 1:
                model.eval()
                with torch.no_grad():
                    val = f"{mse(model(zva), zva).item():.5f}"
            rows.append(f"{step},{epoch},{loss.item():.5f},{val}")
        if epoch % 5 == 4:
            print(epoch, rows[-1])
    print("variance of the profiles", zva.var(0).mean().item())
    (out / "camber_ae_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "step": step,
                "epoch": 30}, out / "camber_ae.pt")
    finish(out, __file__, (zva[:64], zva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="camber_ae.pt", log="camber_ae_log.csv",
           what="sail camber-profile autoencoder whose decoder group was built from a used-up "
                "parameters() generator",
           complaint=("Our camber-profile autoencoder for the sail design database does not learn: "
                      "the reconstruction loss is about 0.7 at the start and still 0.5-0.78 per "
                      "batch after 30 epochs (960 steps); validation goes 0.6064 -> 0.6046. The "
                      "sections only vary by 0.036 (variance, x10 scaled) around the average "
                      "section, so it does far worse than just outputting the mean shape. "
                      "Encoder 32-64-6, decoder 6-64-32, Adam 2e-3 / 1e-3, batch 32. Is a "
                      "6-number code too small for these shapes?"))


if __name__ == "__main__":
    main()
