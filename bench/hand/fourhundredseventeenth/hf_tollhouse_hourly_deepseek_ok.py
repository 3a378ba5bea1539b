"""Hugging Face Trainer: a tiny DeepSeek-V2 decoder (``DeepseekV2Config``: vocabulary 28, 48
wide, 2 dense layers, 4 heads with low-rank key/value compression, built from the config, no
download; ``DeepseekV2ForCausalLM``) forecasts the next hour's traffic at a motorway
tollhouse from the hours so far, so the shift supervisor can open or close booths. A day is
24 hourly vehicle counts: a night floor, a morning commute peak (7-9 h) and an evening peak
(16-18 h) on weekdays, one broad midday hump on weekends, a day-level volume factor (season,
weather) and a rain day cutting everything by a fifth; Poisson-like count noise. Each hour is
one token: the count binned into 24 steps of 150 vehicles (tokens 4-27; 0 pad, 1 start of
day); a weekday day starts with token 2, a weekend day with token 3 after the start token, so
the model knows which curve to expect. Causal LM loss on every hour (per-step head).
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.05, batch 48, 5 epochs
of 1200 days, eval every 25 steps (each epoch) on 240 days (next-hour accuracy and share within
one bin), loss every 5 steps, checkpoint each epoch (``plaza/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import DeepseekV2Config, DeepseekV2ForCausalLM, Trainer, TrainingArguments

H = 24
BINS = 24


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    weekend = (r(n, 1) < 2 / 7).float()
    vol = 0.7 + 0.6 * r(n, 1)
    rain = (r(n, 1) < 0.2).float()
    h = torch.arange(H).float()
    bump = lambda c, w: torch.exp(-0.5 * ((h - c) / w) ** 2)  # noqa: E731
    am = 7.5 + 1.0 * r(n, 1)
    pm = 16.5 + 1.0 * r(n, 1)
    weekday_curve = 300 + 2600 * bump(am, 1.2) + 2300 * bump(pm, 1.5) + 900 * bump(12.5, 3.0)
    weekend_curve = 250 + 1900 * bump(13.5, 3.5)
    mean = vol * (1 - 0.2 * rain) * (weekend * weekend_curve + (1 - weekend) * weekday_curve)
    count = mean + mean.sqrt() * 3 * torch.randn(n, H, generator=g)
    tok = 4 + (count / 150).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), (2 + weekend).long(), tok], 1)
    labels = ids.clone()
    labels[:, :2] = -100  # nothing to learn in the start / day-type tokens
    return ids, labels


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(H + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = DeepseekV2Config(vocab_size=4 + BINS, hidden_size=48, intermediate_size=96,
                              moe_intermediate_size=32, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=4, n_routed_experts=4,
                              num_experts_per_tok=2, n_shared_experts=1, first_k_dense_replace=2,
                              q_lora_rank=None, kv_lora_rank=16, qk_rope_head_dim=8,
                              qk_nope_head_dim=8, v_head_dim=12, max_position_embeddings=H + 8,
                              pad_token_id=0, bos_token_id=1, eos_token_id=1, use_cache=False)
    return DeepseekV2ForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    m = y != -100
    return {"next_hour_acc": float((p[m] == y[m]).mean()),
            "within_one_bin": float((abs(p[m] - y[m]) <= 1).mean())}


def main():
    from _fourhundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = days(1200, g)
    iva, lva = days(240, g)
    print("token range", itr[:, 2:].min().item(), itr[:, 2:].max().item())
    args = TrainingArguments(str(out / "plaza"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=48, per_device_eval_batch_size=240,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ltr),
                      eval_dataset=Days(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "plaza").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeepSeek-V2 decoder forecasting a tollhouse's next-hour traffic bin,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
