"""Hugging Face Trainer: a tiny NLLB-MoE encoder-decoder (``NllbMoeConfig``: vocabulary 18,
32 wide, 1 encoder and 1 decoder layer, 4 heads, 4 experts in every layer with top-2
routing, built from the config, no download; ``NllbMoeForConditionalGeneration``) turns
the 10-minute tip counts of a tipping-bucket pluviometer (0.2 mm a tip) into the hourly
rainfall band the hydrology office files for each of the 3 hours of a record. Source: 18
tokens, the tips in each 10 minutes (0-5+, tokens 3-8). Target: 3 band tokens (tokens 9-16:
dry, < 0.5, < 1, < 2, < 3, < 4, < 5, >= 5 mm in the hour) then ``</s>``. Storms: a dry or
drizzle background, 0-2 convective cells with a Gaussian burst, the gauge's tips drawn as a
Poisson count of the 10-minute depth.
AdamW 3e-3 with linear decay and 20 warmup steps, batch 32, 10 epochs of 1200 records, eval
every 75 steps on 300 records (token accuracy on the band tokens, hours off by more than one
band), loss every 10 steps, checkpoint every 75 steps (``gauge_moe/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import NllbMoeConfig, NllbMoeForConditionalGeneration, Trainer, TrainingArguments

T = 18
EDGES = torch.tensor([0.01, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0])


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    depth = 0.03 * r(n, 1) * (r(n, 1) < 0.6)  # drizzle, mm per 10 min
    for _ in range(2):
        on = (r(n, 1) < 0.6).float()
        peak = 1.6 * r(n, 1) ** 1.5
        centre, width = T * r(n, 1), 1 + 3 * r(n, 1)
        depth = depth + on * peak * torch.exp(-0.5 * ((t - centre) / width) ** 2)
    tips = torch.poisson(depth / 0.2, generator=g)
    hourly = (tips * 0.2).view(n, 3, 6).sum(2)
    band = torch.bucketize(hourly, EDGES, right=True)
    src = 3 + tips.clamp(max=5).long()
    tgt = torch.cat([9 + band, torch.full((n, 1), 2)], 1)
    return src, tgt


class Gauge(torch.utils.data.Dataset):
    def __init__(self, src, tgt):
        self.src, self.tgt = src, tgt

    def __len__(self):
        return len(self.src)

    def __getitem__(self, i):
        return {"input_ids": self.src[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.tgt[i]}


def build():
    torch.manual_seed(0)
    config = NllbMoeConfig(vocab_size=18, d_model=32, encoder_layers=1, decoder_layers=1,
                           encoder_attention_heads=4, decoder_attention_heads=4,
                           encoder_ffn_dim=64, decoder_ffn_dim=64, num_experts=4,
                           expert_capacity=64, encoder_sparse_step=1, decoder_sparse_step=1,
                           max_position_embeddings=32, dropout=0.0, attention_dropout=0.0,
                           encoder_layerdrop=0.0, decoder_layerdrop=0.0, moe_token_dropout=0.0,
                           pad_token_id=1, bos_token_id=0, eos_token_id=2,
                           decoder_start_token_id=2, scale_embedding=True)
    return NllbMoeForConditionalGeneration(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1)[:, :3], pred.label_ids[:, :3]
    return {"band_accuracy": float((p == y).mean()),
            "hours_off_2plus": float((abs(p - y) >= 2).mean())}


def main():
    from _threehundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    str_, ttr = records(1200, g)
    sva, tva = records(300, g)
    print("bands", torch.bincount(ttr[:, :3].flatten() - 9), "tips", torch.bincount(str_.flatten()))
    args = TrainingArguments(str(out / "gauge_moe"), num_train_epochs=10, learning_rate=3e-3,
                             warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Gauge(str_, ttr),
                      eval_dataset=Gauge(sva, tva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gauge_moe").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": sva[:64], "targets": tva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny NLLB-MoE encoder-decoder turning 10-minute pluviometer tip counts into"
                " hourly rainfall bands, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
