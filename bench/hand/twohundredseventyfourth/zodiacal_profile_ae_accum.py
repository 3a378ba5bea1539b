"""Plain torch: an MLP autoencoder compresses zodiacal light brightness profiles to 4 numbers.
Each profile is 48 samples of sky brightness (log10 S10 units) across ecliptic latitude -60..60
deg at one solar elongation, as a dark-site all-sky camera gives them after star removal: a
fan-shaped cloud whose peak falls steeply with elongation (30-150 deg), whose width grows with
elongation, whose centre is shifted off the ecliptic by up to 2.5 deg (the dust cloud's
symmetry plane, set by the observing season), plus the gegenschein brightening near the
anti-solar point and a starlight/airglow floor that varies night to night, with 2 %
noise. Profiles standardised per sample position. Linear 48→64-ELU-32-ELU-4 (code) -
4→32-ELU-64-ELU-48, MSE, SGD 0.05 momentum 0.9 with StepLR (x0.5 every 8 epochs), micro-batches
of 16 with gradients accumulated over 8 (an effective batch of 128), 24 epochs of 3072
profiles, validation on 768 (val MSE, val MSE in log10 S10 units).
The bug: ``loss.backward()  # gradients of the 8 micro-batches add up to the full batch's``,
with no division by ``ACCUM``: each step uses the sum of 8 micro-batch mean gradients, 8x the
mean-gradient step the learning rate was set for.
Result: the step log reads 0.908 (step 4), 0.609, 0.405, 0.771 (step 16), inf (step 20), then
NaN for the rest of the run; val MSE NaN from epoch 1 to 24.
Control (``(loss / ACCUM).backward()``): step loss 0.947 (step 4) → 0.021, val MSE 0.271 →
0.0216 (standardised), 0.0068 → 0.00037 in log10 S10 units (0.019 dex rms from a 4-number
code). With the same lr and no accumulation (plain batches of 128, ``ACCUM = 1``) the val
curve is the control's to 6 digits.
Log: CSV every optimiser step ``ae_steps.csv`` (``step`` / ``recon_mse`` / ``lr``) and a
separate CSV per epoch ``ae_val.csv`` (``epoch`` / ``val_mse`` / ``val_mse_log10``, the file
named as the log in the truth); checkpoint ``zodi_ae.pt`` with keys ``encoder`` / ``decoder``
/ ``sgd`` / ``step_lr`` / ``epoch`` / ``profile_mean`` / ``profile_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

ACCUM = 8
BETA = torch.linspace(-60, 60, 48)


def profiles(n, g):
    u = lambda: torch.rand(n, 1, generator=g)  # noqa: E731
    elong = 30 + 120 * u()
    shift = 5 * u() - 2.5
    peak = 3.6 - 1.4 * (elong - 30) / 120
    width = 8 + 20 * (elong - 30) / 120
    fan = peak * torch.exp(-((BETA - shift).abs() / width) ** 1.2)
    gegen = 0.3 * torch.exp(-((elong - 150) / 8) ** 2) * torch.exp(-(BETA / 10) ** 2)
    floor = 1.9 + 0.3 * u()
    sky = torch.log10(10 ** fan + 10 ** floor + 10 ** gegen - 1)
    return sky + 0.009 * torch.randn(n, 48, generator=g)


class ProfileAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(48, 64), nn.ELU(), nn.Linear(64, 32), nn.ELU(),
                                     nn.Linear(32, 4))
        self.decoder = nn.Sequential(nn.Linear(4, 32), nn.ELU(), nn.Linear(32, 64), nn.ELU(),
                                     nn.Linear(64, 48))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return ProfileAE()


def main():
    from _twohundredseventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = profiles(3072, g), profiles(768, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, 8, 0.5)
    step = 0
    with open(out / "ae_steps.csv", "w") as fs, open(out / "ae_val.csv", "w") as fv:
        fs.write("step,recon_mse,lr\n")
        fv.write("epoch,val_mse,val_mse_log10\n")
        for epoch in range(1, 25):
            model.train()
            acc_loss = 0.0
            opt.zero_grad()
            for i, (xb,) in enumerate(loader):
                loss = F.mse_loss(model(xb), xb)
                loss.backward()  # gradients of the 8 micro-batches add up to the full batch's
                acc_loss += loss.item() / ACCUM
                if (i + 1) % ACCUM == 0:
                    opt.step()
                    opt.zero_grad()
                    step += 1
                    if step % 4 == 0:
                        fs.write(f"{step},{acc_loss:.6g},{sched.get_last_lr()[0]:.6g}\n")
                    acc_loss = 0.0
            sched.step()
            model.eval()
            with torch.no_grad():
                rec = model(xva)
                vm = F.mse_loss(rec, xva).item()
                vl = F.mse_loss(rec * std + mean, rva).item()
            print(epoch, step, vm, vl)
            fv.write(f"{epoch},{vm:.6g},{vl:.6g}\n")
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "sgd": opt.state_dict(), "step_lr": sched.state_dict(), "epoch": 24,
                "profile_mean": mean, "profile_std": std}, out / "zodi_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="zodi_ae.pt", log="ae_val.csv",
           what="MLP autoencoder for zodiacal light profiles, accumulated gradients not divided",
           complaint=("I had an autoencoder for zodiacal light brightness profiles training fine with "
                      "SGD at lr 0.05 and batches of 128. To make room for a bigger model I "
                      "switched to micro-batches of 16 and accumulate over 8 of them before each "
                      "optimizer step, so the effective batch is the same 128 and I kept the lr. "
                      "Now the loss wobbles for a few steps, jumps to inf around step 20 and is "
                      "NaN from then on; validation is NaN from the first epoch. Nothing else "
                      "changed. Where do the NaNs come from?"))


if __name__ == "__main__":
    main()
