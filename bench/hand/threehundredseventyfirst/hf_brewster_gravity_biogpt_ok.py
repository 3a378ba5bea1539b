"""Hugging Face Trainer: a tiny BioGPT decoder (``BioGptConfig``: vocabulary 53, 48 wide, 2
layers, 4 heads, built from the config, no download; ``BioGptForCausalLM``) learns a
brewster's fermentation logs, so it can say from the first days' hydrometer readings where
an ale's gravity is heading (and catch a ferment that is slowing too early). A log is 28
gravity readings, one every 6 h for a week. Gravity falls along the usual S-curve: flat
through the yeast's lag (8-36 h), then a logistic drop from the original gravity (1.040-1.090)
towards the final gravity set by the apparent attenuation (0.68-0.82), the drop's speed set
by pitch rate and temperature (time constant 6-18 h), with hydrometer reading noise
(0.0008). Each reading is one token: the gravity binned in steps of 0.002 from 1.000 to 1.100
(tokens 3-52; 0 pad, 1 start, 2 end). The model predicts each next reading from the ones
before it (causal LM loss, shifted inside the model).
AdamW 2e-3 with cosine decay and 16 warmup steps (a tenth), weight decay 0.0, batch 40, 5 epochs of 1280
logs, eval every 32 steps (each epoch) on 256 logs (next-reading accuracy and share within
one bin), loss every 8 steps, checkpoint every 32 steps (``ferment/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import BioGptConfig, BioGptForCausalLM, Trainer, TrainingArguments

T = 28
BINS = 50


def ferment_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    og = 1.040 + 0.050 * r(n, 1)
    att = 0.68 + 0.14 * r(n, 1)
    fg = 1 + (og - 1) * (1 - att)
    lag = 8 + 28 * r(n, 1)
    tau = 6 + 12 * r(n, 1)
    hours = 6.0 * torch.arange(T).float()
    mid = lag + 3 * tau
    grav = fg + (og - fg) * torch.sigmoid(-(hours - mid) / tau) / torch.sigmoid(mid / tau)
    grav = grav + 0.0008 * torch.randn(n, T, generator=g)
    tok = 3 + ((grav - 1.000) / 0.002).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok, torch.full((n, 1), 2)], 1)
    return ids


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = BioGptConfig(vocab_size=3 + BINS, hidden_size=48, num_hidden_layers=2,
                          num_attention_heads=4, intermediate_size=96,
                          max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0, layerdrop=0.0, pad_token_id=0,
                          bos_token_id=1, eos_token_id=2)
    return BioGptForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-2].argmax(-1), pred.label_ids[:, 1:-1]  # readings only, not the end token
    return {"next_acc": float((p == y).mean()),
            "next_within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = ferment_logs(1280, g)
    iva = ferment_logs(256, g)
    print("token range", int(itr[:, 1:-1].min()), int(itr[:, 1:-1].max()))
    args = TrainingArguments(str(out / "ferment"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.0,
                             per_device_train_batch_size=40, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=32, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr), eval_dataset=Logs(iva),
                      compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "ferment").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny BioGPT decoder predicting the next hydrometer reading of an ale's"
                " fermentation log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
