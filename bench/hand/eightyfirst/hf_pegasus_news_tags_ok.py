"""Hugging Face Trainer: a tiny Pegasus (``PegasusConfig``: d_model 32, 1 encoder and 1
decoder layer, 2 heads, FFN 64, sinusoidal positions, pad 0 = decoder start, eos 1, init std
0.2 instead of 0.02 for the small width, built from the config, no download) writes a two-word
tag line for synthetic news snippets: a snippet is 16–24 tokens of filler words (ids 10–59)
with 2–4 keywords of one of 5 topics (ids 60–84) and one tone word (positive 85–91, negative
93–99); the tag line is the topic token (2–6), the tone token (7, 8) and eos. In 6 % of the
training pairs the topic tag is wrong (a sloppy annotator). Right padding with an attention
mask; the dataset gives the decoder its shifted input (pad as the start token) next to the
labels. AdamW 3e-3, weight decay 0.01, 20 warm-up steps then linear decay, label smoothing
0.1, batch 32, 8 epochs of 1024 pairs, eval each epoch (teacher-forced token accuracy), train
loss every 8 steps, a checkpoint each epoch (the last kept). Healthy: eval token accuracy 0.95
(0.53 → 0.69
→ 0.81 → … → 0.95, still creeping up), eval loss 0.937 above a floor of 0.78 (the entropy of a
0.1-smoothed target over 100 tokens), the train loss 1.03 above it (the wrong topic tags and
the dropout are only in training)."""
import torch
from transformers import PegasusConfig, PegasusForConditionalGeneration, Trainer, TrainingArguments

VOCAB, SRC, PAD, EOS = 100, 24, 0, 1


def snippets(n, g, swap=0.0):
    lengths = torch.randint(16, SRC + 1, (n,), generator=g)
    ids = torch.randint(10, 60, (n, SRC), generator=g)
    topic = torch.randint(0, 5, (n,), generator=g)
    tone = torch.randint(0, 2, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]), generator=g)[:k + 1]
        ids[i, pos[:k]] = 60 + 5 * topic[i] + torch.randint(0, 5, (k,), generator=g)
        ids[i, pos[k]] = 85 + 8 * tone[i] + int(torch.randint(0, 7, (1,), generator=g))
    wrong = torch.rand(n, generator=g) < swap
    topic = torch.where(wrong, (topic + torch.randint(1, 5, (n,), generator=g)) % 5, topic)
    labels = torch.stack([2 + topic, 7 + tone, torch.full_like(topic, EOS)], 1)
    mask = (torch.arange(SRC)[None] < lengths[:, None]).long()
    return ids * mask, mask, labels


class Pairs(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "decoder_input_ids": shift(self.labels[i]), "labels": self.labels[i]}


def shift(labels):  # teacher forcing: decoder start (pad) then the headline, one step late
    return torch.cat([torch.full_like(labels[..., :1], PAD), labels[..., :-1]], -1)


def build():
    torch.manual_seed(0)
    config = PegasusConfig(vocab_size=VOCAB, d_model=32, encoder_layers=1, decoder_layers=1,
                           encoder_attention_heads=2, decoder_attention_heads=2,
                           encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=32,
                           pad_token_id=PAD, eos_token_id=EOS, decoder_start_token_id=PAD,
                           dropout=0.1, scale_embedding=True,
                           init_std=0.2)  # 0.02 suits d_model 1024; at 32 the tokens drown
                                          # under the sinusoidal positions
    return PegasusForConditionalGeneration(config)


def argmax_logits(logits, labels):
    return (logits[0] if isinstance(logits, tuple) else logits).argmax(-1)


def token_accuracy(pred):
    keep = pred.label_ids != -100
    return {"token_accuracy": float((pred.predictions == pred.label_ids)[keep].mean())}


def main():
    from _eightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, labels = snippets(1024, g, swap=0.06)
    vids, vmask, vlabels = snippets(256, g)
    args = TrainingArguments(str(out / "pegasus"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             label_smoothing_factor=0.1, per_device_train_batch_size=32,
                             per_device_eval_batch_size=256, logging_steps=8,
                             eval_strategy="epoch", save_strategy="epoch", save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Pairs(ids, mask, labels),
                      eval_dataset=Pairs(vids, vmask, vlabels), compute_metrics=token_accuracy,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "pegasus").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": vids[:64], "attention_mask": vmask[:64],
                           "decoder_input_ids": shift(vlabels[:64]), "targets": vlabels[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Pegasus news tagger (topic, tone), HF Trainer, label smoothing 0.1, 6 % wrong "
                "topic tags (healthy)")


if __name__ == "__main__":
    main()
